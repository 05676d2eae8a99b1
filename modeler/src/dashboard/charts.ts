import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, Title, Tooltip, type ChartConfiguration } from 'chart.js';
import { h, replaceChildren } from '../ui/dom';
import type { MatterFigures } from './types';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Legend, Title, Tooltip);
Chart.defaults.font.family = "'PingFang SC', 'Microsoft YaHei', 'Noto Sans CJK SC', 'WenQuanYi Micro Hei', system-ui, sans-serif";

const COLOURS = ['#0b5cad', '#2e7d32', '#ef6c00', '#c62828', '#6a1b9a', '#00838f'];

interface Series {
  label: string;
  values: (number | null)[];
}

/** One chart: a canvas drawn by Chart.js, with the same numbers as a table inside it for those who cannot see it. */
class FigureChart {
  readonly element: HTMLElement;
  private readonly canvas: HTMLCanvasElement;
  private chart: Chart<'bar'> | undefined;

  constructor(
    readonly id: string,
    private readonly title: string,
    private readonly unit: string,
    /** `counts`: whole numbers on the axis; `stacked`: the series add up (submissions by hour, matter on matter). */
    private readonly style: { counts?: boolean; stacked?: boolean } = {},
  ) {
    this.canvas = h('canvas', { id: `chart-${id}`, role: 'img', 'aria-label': title });
    this.element = h('figure', { class: 'chart', 'data-chart': id }, h('div', { class: 'chart-box' }, this.canvas));
  }

  draw(labels: string[], series: Series[]): void {
    replaceChildren(
      this.canvas,
      h(
        'table',
        {},
        h('tr', {}, h('th', {}, ''), ...labels.map((l) => h('th', {}, l))),
        ...series.map((s) =>
          h('tr', { 'data-series': s.label }, h('th', {}, s.label), ...s.values.map((v) => h('td', {}, v === null ? '' : String(v)))),
        ),
      ),
    );
    const stacked = Boolean(this.style.stacked);
    const config: ChartConfiguration<'bar'> = {
      type: 'bar',
      data: {
        labels,
        datasets: series.map((s, i) => ({
          label: s.label,
          data: s.values,
          backgroundColor: COLOURS[i % COLOURS.length],
          borderColor: COLOURS[i % COLOURS.length],
        })),
      },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        plugins: { title: { display: true, text: this.title }, legend: { position: 'bottom' } },
        scales: {
          x: { stacked },
          y: {
            stacked,
            beginAtZero: true,
            ticks: this.style.counts ? { precision: 0 } : {},
            title: { display: Boolean(this.unit), text: this.unit },
          },
        },
      },
    };
    if (this.chart) {
      this.chart.data = config.data;
      this.chart.update();
    } else this.chart = new Chart(this.canvas, config);
  }
}

const pct = (ratio: number | null) => (ratio === null ? null : Math.round(ratio * 1000) / 10);

/** The charts of the dashboard: volumes, shares, times to decision per matter, and submissions by hour of the day. */
export class FigureCharts {
  readonly element = h('div', { class: 'charts' });
  private readonly volumes = new FigureChart('volumes', '办件量', '件', { counts: true });
  private readonly shares = new FigureChart('shares', '自动审批率、预填比例与材料免交比例', '%');
  private readonly durations = new FigureChart('durations', '提交至决定用时', '小时');
  private readonly hours = new FigureChart('hours', '提交时段分布（北京时间）', '件', { counts: true, stacked: true });

  constructor() {
    replaceChildren(this.element, this.volumes.element, this.shares.element, this.durations.element, this.hours.element);
  }

  draw(matters: MatterFigures[]): void {
    const names = matters.map((m) => m.matterName);
    this.volumes.draw(names, [
      { label: '申请量', values: matters.map((m) => m.applications) },
      { label: '已决定', values: matters.map((m) => m.decided) },
      { label: '自动审批', values: matters.map((m) => m.autoApproved) },
      { label: '退回补正', values: matters.map((m) => m.returns) },
      { label: '超期', values: matters.map((m) => m.deadlineBreaches) },
    ]);
    this.shares.draw(names, [
      { label: '自动审批率', values: matters.map((m) => pct(m.autoApprovalRate)) },
      { label: '预填比例', values: matters.map((m) => pct(m.prefillRatio)) },
      { label: '材料免交比例', values: matters.map((m) => pct(m.exemptionRatio)) },
    ]);
    this.durations.draw(names, [
      { label: '中位数（p50）', values: matters.map((m) => m.submitToDecisionHours.p50) },
      { label: '90% 分位（p90）', values: matters.map((m) => m.submitToDecisionHours.p90) },
    ]);
    this.hours.draw(
      Array.from({ length: 24 }, (_, hour) => `${hour}时`),
      matters.map((m) => ({ label: m.matterName, values: m.busiestHours })),
    );
  }
}
