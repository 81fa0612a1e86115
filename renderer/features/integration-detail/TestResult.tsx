import type { TestConnectionResult as ConnectionTestResult } from '../../../shared/localApi.js';
import { RelativeTime } from '../../components/RelativeTime.js';
import { HealthBadge } from '../../components/StatusBadge.js';

/** The outcome of "Test connection", kept on screen after the toast fades. */
export function TestResult({ result, subject }: { result: ConnectionTestResult; subject: string }) {
  return (
    <div className={`test-result test-result-${result.health}`}>
      <div className="row">
        <span className="test-result-subject">{subject}</span>
        <HealthBadge health={result.health} />
        <span className="muted">
          <RelativeTime iso={result.checkedAt} />
        </span>
      </div>
      {result.message && <p>{result.message}</p>}
    </div>
  );
}
