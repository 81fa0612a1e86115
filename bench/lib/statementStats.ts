import type pg from 'pg';

export interface StatementFigure {
  calls: number;
  totalMs: number;
  meanMs: number;
  statement: string;
}

/**
 * Which statements PostgreSQL spent its time on, from pg_stat_statements (loaded by the bench's
 * embedded PostgreSQL; with DATABASE_URL elsewhere it may be missing, and this says nothing).
 * `reset()` before the measured work, `top()` after. Nested statements (triggers, functions) are
 * counted too, and also inside the statement that ran them.
 */
export function statementStats(client: pg.Client) {
  let available = true;
  return {
    async reset() {
      try {
        await client.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
        await client.query('SELECT pg_stat_statements_reset()');
      } catch {
        available = false;
      }
    },
    /** All statements' execution and planning time, and their count (top-level ones only). */
    async totals(): Promise<{ statements: number; execMs: number; planMs: number }> {
      if (!available) return { statements: 0, execMs: 0, planMs: 0 };
      const { rows } = await client.query<{ statements: number; execMs: number; planMs: number }>(
        `SELECT coalesce(sum(calls), 0)::int AS statements, round(coalesce(sum(total_exec_time), 0)::numeric, 1)::float AS "execMs",
                round(coalesce(sum(total_plan_time), 0)::numeric, 1)::float AS "planMs"
           FROM pg_stat_statements WHERE toplevel AND dbid = (SELECT oid FROM pg_database WHERE datname = current_database())`,
      );
      return rows[0] ?? { statements: 0, execMs: 0, planMs: 0 };
    },
    async top(limit = 10): Promise<StatementFigure[]> {
      if (!available) return [];
      const { rows } = await client.query<StatementFigure>(
        `SELECT calls::int, round(total_exec_time::numeric, 1)::float AS "totalMs", round(mean_exec_time::numeric, 3)::float AS "meanMs",
                left(regexp_replace(query, '\\s+', ' ', 'g'), 120) AS statement
           FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
          ORDER BY total_exec_time DESC LIMIT $1`,
        [limit],
      );
      return rows;
    },
  };
}
