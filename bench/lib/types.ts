/** One benchmark: prints `rows` as a table and stores `figures` in bench-results.json. */
export interface Benchmark {
  name: string;
  run(): Promise<{ rows: Record<string, unknown>[]; figures: Record<string, unknown> }>;
}
