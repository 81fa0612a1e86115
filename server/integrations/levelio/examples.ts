/**
 * Bodies from Level's published API document (LVL-OAS in shared/vendor-apis.md §6: the OpenAPI
 * 3.1 spec, of which only the first part was readable). The fake answers with them and the
 * tests replay them against the plugin, so our reading of Level is checked against what Level
 * wrote. Item fields beyond the spec's readable part come from ALGA's types [M] and are marked so
 * in the fake.
 */
export const levelExamples = {
  /** 401 for a missing or wrong key: the `/v2/alerts` response example [H: LVL-OAS]. */
  accessDenied: { error: 'Access denied' },
  /** `GET /v2/groups?limit=1`: the list wrapper `{data, has_more}` [H: LVL-OAS]; group fields [M: ALGA]. */
  groups: {
    data: [{ id: 'Z2lkOi8vbGV2ZWwvR3JvdXAvMQ', name: 'Servers', parent_id: null, child_ids: [], device_count: 3 }],
    has_more: false,
  },
} as const;
