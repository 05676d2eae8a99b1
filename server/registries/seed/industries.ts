/** What an enterprise does decides its name, its business scope and the licences it holds. */
export interface Industry {
  key: string;
  /** The industry word of the enterprise name: 餐饮管理 in 北京华信餐饮管理有限公司. */
  label: string;
  weight: number;
  scope: string;
  /** Public-place types it runs (公共场所卫生许可证), and how many such enterprises hold a permit. */
  hygiene?: { premises: string[]; share: number };
  /** Share holding a publication business licence (出版物经营许可证). */
  publication?: number;
  /** Qualification categories of its staff (道路运输从业人员从业资格证), and how many staff hold one. */
  transport?: { categories: [string, number][]; share: number };
  /** How many more staff than an average enterprise it employs. */
  staffWeight: number;
}

export const INDUSTRIES: Industry[] = [
  {
    key: 'catering',
    label: '餐饮管理',
    weight: 14,
    scope: '餐饮服务；餐饮管理；食品销售；外卖递送服务',
    hygiene: { premises: ['饭馆', '咖啡馆', '茶座', '酒吧'], share: 0.4 },
    staffWeight: 1.5,
  },
  {
    key: 'hotel',
    label: '酒店管理',
    weight: 7,
    scope: '住宿服务；酒店管理；餐饮服务；会议及展览服务',
    hygiene: { premises: ['宾馆', '旅店'], share: 0.9 },
    staffWeight: 2,
  },
  {
    key: 'beauty',
    label: '美容美发',
    weight: 7,
    scope: '理发服务；生活美容服务；化妆品零售',
    hygiene: { premises: ['理发店', '美容店'], share: 0.85 },
    staffWeight: 1,
  },
  {
    key: 'bath',
    label: '洗浴服务',
    weight: 3,
    scope: '洗浴服务；足浴服务；养生保健服务（非医疗）',
    hygiene: { premises: ['公共浴室'], share: 0.9 },
    staffWeight: 1,
  },
  {
    key: 'sports',
    label: '体育发展',
    weight: 3,
    scope: '体育场地设施经营（不含高危险性体育运动）；游泳馆经营；健身休闲活动',
    hygiene: { premises: ['游泳场（馆）'], share: 0.85 },
    staffWeight: 1,
  },
  {
    key: 'entertainment',
    label: '文化娱乐',
    weight: 3,
    scope: '歌舞娱乐活动；游艺娱乐活动；酒吧服务（不含演艺娱乐活动）',
    hygiene: { premises: ['歌舞厅', '游艺厅'], share: 0.9 },
    staffWeight: 1,
  },
  {
    key: 'mall',
    label: '商业管理',
    weight: 3,
    scope: '商业综合体管理服务；柜台、摊位出租；日用百货销售；出版物零售',
    hygiene: { premises: ['商场（店）'], share: 0.8 },
    publication: 0.2,
    staffWeight: 2,
  },
  {
    key: 'books',
    label: '图书',
    weight: 6,
    scope: '出版物零售；文具用品零售；办公用品销售；文化用品设备出租',
    publication: 0.95,
    staffWeight: 1,
  },
  {
    key: 'culture',
    label: '文化传播',
    weight: 6,
    scope: '组织文化艺术交流活动；出版物零售；会议及展览服务；广告设计、代理',
    publication: 0.5,
    staffWeight: 1,
  },
  {
    key: 'hazmat',
    label: '危险货物运输',
    weight: 8,
    scope: '道路危险货物运输；道路货物运输（不含危险货物）；国内货物运输代理',
    transport: {
      categories: [
        ['道路危险货物运输驾驶员', 6],
        ['道路危险货物运输押运人员', 3],
        ['道路危险货物运输装卸管理人员', 1],
      ],
      share: 0.85,
    },
    staffWeight: 5,
  },
  {
    key: 'logistics',
    label: '物流',
    weight: 8,
    scope: '道路货物运输（不含危险货物）；国内货物运输代理；普通货物仓储服务（不含危险化学品等需许可审批的项目）',
    transport: { categories: [['道路货物运输驾驶员', 1]], share: 0.6 },
    staffWeight: 3,
  },
  { key: 'trade', label: '商贸', weight: 12, scope: '日用百货销售；五金产品零售；电子产品销售；服装服饰零售', staffWeight: 1 },
  {
    key: 'tech',
    label: '科技',
    weight: 12,
    scope: '技术服务、技术开发、技术咨询、技术交流、技术转让、技术推广；软件开发；信息系统集成服务',
    staffWeight: 1.5,
  },
  { key: 'construction', label: '建筑工程', weight: 6, scope: '建设工程施工；住宅室内装饰装修；建筑材料销售', staffWeight: 2 },
];

export const SCOPE_TAIL = '（除依法须经批准的项目外，凭营业执照依法自主开展经营活动）';

export function industry(key: string): Industry {
  const found = INDUSTRIES.find((i) => i.key === key);
  if (!found) throw new Error(`no industry ${key}`);
  return found;
}
