/**
 * Bodies shaped as NinjaOne's published API document has them (NJ-OAS in shared/vendor-apis.md:
 * shared/vendor-specs/ninjaone-openapi.yml). The document gives schemas, not examples, so the
 * values are ours; the field names, types (int32 ids, epoch-second doubles) and the bare arrays
 * are its. Tests replay them against the plugin, so our reading of NinjaOne is checked against
 * what NinjaOne wrote rather than against our own fake.
 */
export const ninjaExamples = {
  /** `POST /ws/oauth/token` 200: `access_token`, `token_type`, `expires_in` (vendor-apis.md §3). */
  token: { access_token: 'example-access-token', token_type: 'Bearer', expires_in: 3600, scope: 'monitoring management' },
  /** `GET /v2/organizations` (getOrganizations): `[Organization]`, brief mode. */
  organizations: [
    { id: 1, name: 'Harbor Dental', description: 'Dental practice', nodeApprovalMode: 'AUTOMATIC', tags: ['dental'], fields: {}, userData: {} },
    { id: 2, name: 'Bluewave Logistics', description: '', nodeApprovalMode: 'MANUAL', tags: [], fields: {}, userData: {} },
  ],
  /** `GET /v2/organization/{id}/devices` (getOrganizationDevices): `[NodeWithDetailedReferences]`. */
  organizationDevices: [
    {
      id: 301,
      uid: '3f0c6f5e-8a1b-4c2d-9e3f-1a2b3c4d5e6f',
      parentDeviceId: 0,
      organizationId: 1,
      locationId: 4,
      nodeClass: 'WINDOWS_SERVER',
      nodeRoleId: 2,
      rolePolicyId: 5,
      policyId: 5,
      approvalStatus: 'APPROVED',
      offline: false,
      displayName: 'HD-FS01',
      systemName: 'HD-FS01',
      dnsName: 'hd-fs01.harbor.local',
      netbiosName: 'HD-FS01',
      created: 1704067200.0,
      lastContact: 1735689600.5,
      lastUpdate: 1735689600.5,
      tags: [],
      fields: {},
      maintenance: { status: 'PENDING', start: 0, end: 0 },
      references: { organization: { id: 1, name: 'Harbor Dental' }, location: { id: 4, name: 'Main office' } },
    },
  ],
  /** `GET /v2/device/{id}` (getDevice) 200: `Device`. */
  device: {
    id: 301,
    uid: '3f0c6f5e-8a1b-4c2d-9e3f-1a2b3c4d5e6f',
    organizationId: 1,
    locationId: 4,
    nodeClass: 'WINDOWS_SERVER',
    approvalStatus: 'APPROVED',
    offline: true,
    displayName: 'HD-FS01',
    systemName: 'HD-FS01',
    dnsName: 'hd-fs01.harbor.local',
    created: 1704067200.0,
    lastContact: 1735689600.5,
    lastUpdate: 1735689600.5,
    userData: {},
    tags: [],
    fields: {},
  },
  /** `GET /v2/alerts` (getAlerts): `[Alert]`, active alerts only, no paging; `psaTicketId` is typed `object`. */
  alerts: [
    {
      uid: '6c1f7a0e-2b3c-4d5e-8f90-a1b2c3d4e5f6',
      deviceId: 301,
      message: 'Disk C: free space below 10%',
      createTime: 1735686000.0,
      updateTime: 1735689600.0,
      sourceType: 'CONDITION_AGENT_DISK_FREE_SPACE',
      sourceConfigUid: '0e9d8c7b-6a5f-4e3d-8c2b-1a0f9e8d7c6b',
      sourceName: 'Disk free space < 10%',
      subject: 'Low disk space',
      userId: 0,
      psaTicketId: null,
      ticketTemplateId: 0,
      data: {},
    },
  ],
  /** `GET /v2/device/{id}/scripting/options` (requestScriptingOptions): `DeviceScriptingOptions`. */
  scriptingOptions: {
    categories: [{ id: 1, name: 'Maintenance', internal: false }],
    scripts: [
      { type: 'SCRIPT', id: 41, name: 'Clear temp files', language: 'powershell', description: 'Removes temporary files', architecture: ['64'], categoryId: 1 },
      { type: 'ACTION', uid: 'b4a1f0c2-5d3e-4f6a-8b7c-9d0e1f2a3b4c', name: 'Restart Print Spooler', categoryId: 1 },
    ],
    credentials: { roles: ['system', 'loggedonuser', 'SR_LOCAL_ADMINISTRATOR'], credentials: [{ id: 7, name: 'Domain admin', type: 'WINDOWS' }] },
  },
} as const;
