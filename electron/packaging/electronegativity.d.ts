// Electronegativity ships no types; this is the part of its programmatic API we use.
declare module '@doyensec/electronegativity' {
  export interface ElectronegativityLevel {
    value: number;
    name: string;
  }
  export interface ElectronegativityIssue {
    id: string;
    file: string;
    location: { line: number; column: number };
    severity: ElectronegativityLevel;
    confidence: ElectronegativityLevel;
    description: string;
    manualReview?: boolean;
    sample?: string;
  }
  export interface ElectronegativityResult {
    globalChecks: number;
    atomicChecks: number;
    errors: { file: string; message: string; tolerable: boolean }[];
    issues: ElectronegativityIssue[];
  }
  export interface ElectronegativityOptions {
    input: string;
    isRelative?: boolean;
    electronVersionOverride?: string;
    customScan?: string[];
    excludeFromScan?: string[];
    parserPlugins?: string[];
  }
  export default function run(options: ElectronegativityOptions): Promise<ElectronegativityResult>;
}
