/**
 * Bodies from Syncro's published API document (SYN-SW26 in shared/vendor-apis.md: the swagger's
 * example responses). The fake answers with them and the tests replay them against the plugin,
 * so our reading of Syncro is checked against what Syncro wrote, not against our own choices.
 * The error body and the `meta` objects are the document's; list items carry only fields the
 * document lists for them (vendor-apis.md §1, "Useful reads").
 */
export const syncroExamples = {
  /** 401 on every list operation for a token without the operation's permission. */
  permissionDenied: { error: 'Not authorized. Please ask account admin to update your group permissions.' },
  /** `GET /tickets`: the example's `meta` has only `total_pages` and `page`. */
  tickets: {
    tickets: [{ id: 1, number: 1001, subject: 'Printer offline', customer_id: 1, status: 'New', problem_type: 'Hardware', created_at: '2019-10-22T08:47:09.723Z', updated_at: '2019-10-22T08:47:09.723Z', comments: [] }],
    meta: { total_pages: 1, page: 1 },
  },
  /** `GET /customers`: the example's `meta` is complete (and says 100 a page). */
  customers: {
    customers: [{ id: 1, firstname: 'Ada', lastname: 'Lovelace', business_name: 'Analytical Engines Ltd', email: 'ada@example.com', phone: '555-0100', disabled: false, created_at: '2019-10-22T08:47:09.723Z' }],
    meta: { total_pages: 1, total_entries: 1, per_page: 100, page: 1 },
  },
} as const;
