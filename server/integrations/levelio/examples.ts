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
  /**
   * `GET /v2/groups?limit=1`: the list wrapper `{data, has_more}` is the spec's [H: LVL-OAS]; the
   * group inside is built from ALGA's field list [M] (the spec's own group example was not
   * readable), with an id of our making: Level's id format is not documented here.
   */
  groups: {
    data: [{ id: 'grp_01', name: 'Servers', parent_id: null, child_ids: [], device_count: 3 }],
    has_more: false,
  },
} as const;
