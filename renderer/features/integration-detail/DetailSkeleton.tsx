import { Skeleton } from '../../components/Skeleton.js';

/** The detail page's shape while it loads, so the real content lands where the skeleton was. */
export function DetailSkeleton() {
  return (
    <div className="detail" aria-busy="true" aria-label="Loading integration">
      <div className="detail-header">
        <Skeleton width={160} height={14} />
        <div className="detail-title">
          <Skeleton width={56} height={56} radius={14} />
          <div className="stack" style={{ gap: 8, flex: 1 }}>
            <Skeleton width="30%" height={28} />
            <Skeleton width="20%" />
          </div>
        </div>
        <Skeleton width="55%" />
      </div>
      <div className="detail-grid">
        <div className="card card-body stack">
          {[0, 1, 2, 3].map((i) => (
            <div key={i} className="stack" style={{ gap: 6 }}>
              <Skeleton width={120} height={12} />
              <Skeleton height={36} />
            </div>
          ))}
        </div>
        <div className="card card-body stack">
          <Skeleton width="40%" height={18} />
          <Skeleton height={90} />
          <Skeleton height={58} />
        </div>
      </div>
    </div>
  );
}
