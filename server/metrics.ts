import type { RequestHandler } from 'express';
import client from 'prom-client';

export type GaugeSample = { labels?: Record<string, string>; value: number };

/** Prometheus figures for `/metrics`; one registry per platform so servers in one process stay apart. */
export class Metrics {
  readonly registry = new client.Registry();
  private readonly requests = new client.Counter({
    name: 'http_requests_total',
    help: 'HTTP requests by method, route and status',
    labelNames: ['method', 'route', 'status'],
    registers: [this.registry],
  });
  private readonly errors = new client.Counter({
    name: 'http_errors_total',
    help: 'HTTP error responses by code',
    labelNames: ['status', 'code'],
    registers: [this.registry],
  });
  private readonly latency = new client.Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request latency',
    labelNames: ['method', 'route'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });

  constructor() {
    client.collectDefaultMetrics({ register: this.registry });
  }

  /** A gauge read from the database (or elsewhere) at each scrape. */
  gauge(name: string, help: string, labelNames: string[], read: () => Promise<GaugeSample[]>): void {
    new client.Gauge({
      name,
      help,
      labelNames,
      registers: [this.registry],
      async collect() {
        this.reset();
        for (const sample of await read()) {
          if (sample.labels) this.set(sample.labels, sample.value);
          else this.set(sample.value);
        }
      },
    });
  }


  /** Counts and times every request under its route pattern (not its raw path: ids would explode the labels). */
  middleware(): RequestHandler {
    return (req, res, next) => {
      const stop = process.hrtime.bigint();
      res.on('finish', () => {
        const routePath = (req.route?.path as string | undefined) ?? (res.statusCode === 404 ? 'unmatched' : req.path);
        const route = `${req.baseUrl ?? ''}${routePath === 'unmatched' ? '' : routePath}` || 'unmatched';
        const seconds = Number(process.hrtime.bigint() - stop) / 1e9;
        this.requests.inc({ method: req.method, route, status: String(res.statusCode) });
        this.latency.observe({ method: req.method, route }, seconds);
        if (res.statusCode >= 400) this.errors.inc({ status: String(res.statusCode), code: String(res.locals.errorCode ?? '') });
      });
      next();
    };
  }

  async text(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
