-- Up Migration

-- Alert webhooks screen and check history (issue 22).
--
-- Every attempt to deliver to a partner's webhook (a test someone asked for, or one try of an
-- alert's delivery) is one row: the screen lists them so a partner admin can see whether the
-- receiver answers. integration_alerts keeps only the latest state of each alert's delivery;
-- this keeps each attempt. A partner table like the others: partner_id leads every key,
-- row-level security, least grants. The dev partner does not read it (where a partner's alerts
-- go is its own business, as with partner_webhooks). Rows older than the health history's
-- retention are pruned with it.
CREATE TABLE webhook_deliveries (
  id           bigint GENERATED ALWAYS AS IDENTITY,
  partner_id   bigint NOT NULL REFERENCES partners (id) ON DELETE CASCADE,
  attempted_at timestamptz NOT NULL DEFAULT now(),
  -- 'test' (POST /api/alerts/webhook/test) or 'alert' (the deliverer, alert_id set).
  kind         text NOT NULL CHECK (kind IN ('test', 'alert')),
  alert_id     bigint,
  -- The alert's event name (alert.failure …) or webhook.test.
  event        text NOT NULL CHECK (length(event) BETWEEN 1 AND 100),
  attempt      integer NOT NULL DEFAULT 1 CHECK (attempt >= 1),
  delivered    boolean NOT NULL,
  -- The receiver's HTTP status when it answered; error says why not otherwise (never a URL,
  -- body or secret: the words come from send.ts).
  http_status  integer,
  error        text CHECK (length(error) <= 300),
  duration_ms  integer NOT NULL CHECK (duration_ms >= 0),
  PRIMARY KEY (partner_id, id)
);
CREATE INDEX webhook_deliveries_page_idx ON webhook_deliveries (partner_id, id DESC);
CREATE INDEX webhook_deliveries_age_idx ON webhook_deliveries USING brin (attempted_at);

ALTER TABLE webhook_deliveries ENABLE ROW LEVEL SECURITY;
CREATE POLICY own_partner ON webhook_deliveries
  USING (partner_id = (SELECT ic_current_partner()))
  WITH CHECK (partner_id = (SELECT ic_current_partner()));
GRANT SELECT, INSERT ON webhook_deliveries TO ic_app;

-- How long each health check took (the vendor calls, not the wait for a slot). NULL for checks
-- recorded before this column existed.
ALTER TABLE integration_health_history ADD COLUMN duration_ms integer CHECK (duration_ms >= 0);
-- The check list filters by result, newest first.
CREATE INDEX integration_health_history_result_idx
  ON integration_health_history (partner_id, integration_key, health, checked_at DESC);

-- Down Migration
DROP INDEX IF EXISTS integration_health_history_result_idx;
ALTER TABLE integration_health_history DROP COLUMN IF EXISTS duration_ms;
DROP TABLE IF EXISTS webhook_deliveries;
