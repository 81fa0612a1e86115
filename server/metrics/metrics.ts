import client from 'prom-client';

/**
 * What an operator watches (issue 20 §8), in Prometheus's text format at `GET /metrics`
 * (server/metrics/route.ts). One registry per process: the figures are counted where the work
 * happens (HTTP hook, vendor client, health scheduler, webhook deliverer, sync push), and the
 * gauges that describe the database are read when Prometheus scrapes. Labels are bounded sets
 * (route patterns, vendor names, outcomes): never an id, a URL or a message.
 * docs/operations.md says what each one means and when to alert.
 */
export const registry = new client.Registry();
registry.setDefaultLabels({ service: 'integration-center' });
client.collectDefaultMetrics({ register: registry, prefix: 'ic_' });

const seconds = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

export const httpRequests = new client.Counter({
  name: 'ic_http_requests_total',
  help: 'HTTP requests answered, by method, route pattern and status',
  labelNames: ['method', 'route', 'status'] as const,
  registers: [registry],
});

export const httpDuration = new client.Histogram({
  name: 'ic_http_request_duration_seconds',
  help: 'Time to answer an HTTP request, by method and route pattern',
  labelNames: ['method', 'route'] as const,
  buckets: seconds,
  registers: [registry],
});

export const vendorCalls = new client.Counter({
  name: 'ic_vendor_calls_total',
  help: 'Vendor call attempts by provider and outcome (ok, failed, retried)',
  labelNames: ['provider', 'outcome'] as const,
  registers: [registry],
});

export const vendorDuration = new client.Histogram({
  name: 'ic_vendor_call_duration_seconds',
  help: 'Time of one vendor call attempt that got an answer, by provider',
  labelNames: ['provider'] as const,
  buckets: seconds,
  registers: [registry],
});

export const vendorRateLimited = new client.Counter({
  name: 'ic_vendor_rate_limited_total',
  help: 'Calls refused for rate: by the vendor (a 429) or by our own budget before sending',
  labelNames: ['provider', 'source'] as const,
  registers: [registry],
});

export const healthChecks = new client.Counter({
  name: 'ic_health_checks_total',
  help: 'Scheduled health checks finished by this instance, by outcome (ok, degraded, error, stale, gone, lost, released)',
  labelNames: ['outcome'] as const,
  registers: [registry],
});

export const healthSweepLag = new client.Gauge({
  name: 'ic_health_sweep_lag_seconds',
  help: 'How long the oldest due health check has been waiting (0 when none is due); read at scrape',
  registers: [registry],
});

export const webhookDeliveries = new client.Counter({
  name: 'ic_webhook_deliveries_total',
  help: 'Alert webhook delivery attempts by kind (alert, test) and outcome (delivered, failed)',
  labelNames: ['kind', 'outcome'] as const,
  registers: [registry],
});

export const syncPushResults = new client.Counter({
  name: 'ic_sync_push_results_total',
  help: 'Desktop mutations pushed, by result (applied, conflict, rejected …; replayed: a retry answered from the stored result)',
  labelNames: ['result'] as const,
  registers: [registry],
});

export const dbPool = new client.Gauge({
  name: 'ic_db_pool_connections',
  help: 'PostgreSQL pool connections of this instance: total, idle, and requests waiting for one; read at scrape',
  labelNames: ['state'] as const,
  registers: [registry],
});
