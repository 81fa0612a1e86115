/**
 * Bodies from Huntress's published API document (HUN-OAS in shared/vendor-apis.md:
 * shared/vendor-specs/huntress-openapi.json, its schemas and the examples it gives). The tests
 * replay them against the plugin, so our reading of Huntress is checked against what Huntress
 * wrote, not against our own fake's choices. Field values are the document's examples where it
 * has them; the wrappers (`account`, `organizations` + `pagination`, `incident_report`) are its
 * response schemas'.
 */
export const huntressExamples = {
  /** `GET /v1/account` 200: `{account: Account}`. */
  account: { account: { id: 1, name: 'Example MSP', subdomain: 'examplemsp', status: 'enabled', support_type: 'partner_supported' } },
  /** `GET /v1/organizations` 200: `{organizations: [Organization], pagination}`; the pagination object is the "Pagination" section's example. */
  organizations: {
    organizations: [{ id: 7, name: 'Example Org', key: 'example-org', account_id: 1, agents_count: 3, incident_reports_count: 1, created_at: '2022-03-01T18:54:24Z', updated_at: '2022-03-01T18:54:24Z' }],
    pagination: { next_page_url: 'https://api.huntress.io/v1/organizations?page_token=MjAyMi0wMy0wMVQxODo1NDoyNFo&limit=10', next_page_token: 'MjAyMi0wMy0wMVQxODo1NDoyNFo' },
  },
  /** The last page: no `next_page_token` ("Only displays when another page can be accessed"). */
  organizationsLastPage: { organizations: [{ id: 3, name: 'Last Org', key: 'last-org', account_id: 1 }], pagination: {} },
  /** `GET /v1/incident_reports/{id}` 200: `{incident_report: IncidentReport}`, remediations as the schema's example. */
  incidentReport: {
    incident_report: {
      id: 11,
      account_id: 1,
      agent_id: 5,
      organization_id: 7,
      subject: 'CRITICAL - Incident on DESKTOP-1 (Example Org)',
      summary: 'A malicious scheduled task was found.',
      severity: 'critical',
      status: 'sent',
      platform: 'windows',
      indicator_types: ['footholds'],
      indicator_counts: { footholds: 1 },
      remediations: {
        total_count: 1,
        has_more: false,
        items: [{ id: 1, type: 'manual', action: 'Delete File', parameters: [{ name: 'path', description: 'c:\\windows\\system32\\tasks\\malicious_task' }], status: 'completed', approved_at: '2025-06-26T18:57:03Z', completed_at: '2025-06-26T18:57:03Z' }],
      },
      sent_at: '2025-06-26T18:50:00Z',
      closed_at: null,
      status_updated_at: '2025-06-26T18:50:00Z',
      updated_at: '2025-06-26T18:57:03Z',
    },
  },
} as const;
