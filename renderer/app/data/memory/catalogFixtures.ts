import type { CatalogEntry } from '../../../../shared/integrations/catalog.js';

const hostnameLabel = { regex: '^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$', message: 'Use only the subdomain: letters, digits and hyphens' };

/** The registry as the fixture source ships it: two real plugins and a few more entries. */
export const catalogFixtures: CatalogEntry[] = [
  {
    key: 'syncro',
    name: 'Syncro PSA',
    provider: 'Syncro',
    category: 'Psa',
    description: 'Tickets, customers and assets from your Syncro account.',
    docsUrl: 'https://docs.syncromsp.com/en_US/scripting-apis/syncro-rest-api',
    links: [],
    fields: [
      { key: 'subdomain', kind: 'Text', label: 'Subdomain', required: true, help: 'The part before .syncromsp.com in your Syncro address.', placeholder: 'acme', pattern: hostnameLabel, maxLength: 63 },
      { key: 'api_token', kind: 'Secret', label: 'API token', required: true, help: 'Admin › API Tokens in Syncro. Needs Customers: List and Tickets: List.' },
      {
        key: 'ticket_status',
        kind: 'Select',
        label: 'Status for new tickets',
        required: true,
        help: 'Tickets created from alerts start in this status.',
        options: [
          { value: 'New', label: 'New' },
          { value: 'In Progress', label: 'In Progress' },
          { value: 'Scheduled', label: 'Scheduled' },
          { value: 'Waiting on Customer', label: 'Waiting on Customer' },
        ],
      },
      { key: 'sync_assets', kind: 'Bool', label: 'Import assets nightly', required: false, help: 'Adds Syncro assets to the device inventory once a night.' },
    ],
  },
  {
    key: 'msp360',
    name: 'MSP360 Managed Backup',
    provider: 'MSP360',
    category: 'Backup',
    description: 'Backup status of every company and computer in MSPBackups.',
    docsUrl: 'https://help.mspbackups.com/mbs-api-specification',
    links: [{ label: 'Open MSPBackups', url: 'https://mspbackups.com/' }],
    fields: [
      { key: 'api_login', kind: 'Text', label: 'API login', required: true, help: 'The API user from MSPBackups › Settings › API.', maxLength: 200 },
      { key: 'api_password', kind: 'Secret', label: 'API password', required: true, help: 'The password of that API user.' },
      { key: 'api_url', kind: 'Url', label: 'API address', required: false, help: 'Only for a dedicated MSP360 instance. Leave blank for api.mspbackups.com.', placeholder: 'https://api.mspbackups.com' },
    ],
  },
  {
    key: 'ninjaone',
    name: 'NinjaOne',
    provider: 'NinjaOne',
    category: 'Rmm',
    description: 'Devices and organizations from NinjaOne RMM.',
    docsUrl: null,
    links: [],
    fields: [
      {
        key: 'region',
        kind: 'Select',
        label: 'Region',
        required: true,
        help: 'Where your NinjaOne instance is hosted.',
        options: [
          { value: 'app', label: 'United States (app)' },
          { value: 'eu', label: 'Europe (eu)' },
          { value: 'ca', label: 'Canada (ca)' },
          { value: 'oc', label: 'Oceania (oc)' },
        ],
      },
      { key: 'client_id', kind: 'Text', label: 'Client ID', required: true, help: 'From Administration › Apps › API.' },
      { key: 'client_secret', kind: 'Secret', label: 'Client secret', required: true, help: 'Shown once when you create the API client.' },
    ],
  },
  {
    key: 'huntress',
    name: 'Huntress',
    provider: 'Huntress Labs',
    category: 'Security',
    description: 'Incidents and agent coverage from Huntress.',
    docsUrl: null,
    links: [],
    fields: [
      { key: 'api_key', kind: 'Text', label: 'API key', required: true, help: 'Account › API Credentials in Huntress.' },
      { key: 'api_secret', kind: 'Secret', label: 'API secret', required: true, help: 'Shown once next to the key.' },
      { key: 'include_low', kind: 'Bool', label: 'Include low-severity incidents', required: false, help: 'Off: only medium and above become alerts.' },
    ],
  },
  {
    key: 'tactical',
    name: 'Tactical RMM',
    provider: 'AmidaWare',
    category: 'Rmm',
    description: 'Agents and alerts from your self-hosted Tactical RMM.',
    docsUrl: null,
    links: [],
    fields: [
      { key: 'api_url', kind: 'Url', label: 'API address', required: true, help: 'Your Tactical RMM API host, e.g. https://api.example.com.', placeholder: 'https://api.example.com' },
      { key: 'api_key', kind: 'Secret', label: 'API key', required: true, help: 'Settings › Global Settings › API Keys.' },
    ],
  },
  {
    key: 'teams',
    name: 'Microsoft Teams',
    provider: 'Microsoft',
    category: 'Communication',
    description: 'Alert notifications posted to a Teams channel.',
    docsUrl: null,
    links: [],
    fields: [
      { key: 'tenant_id', kind: 'Text', label: 'Tenant ID', required: true, help: 'Your Microsoft Entra tenant (directory) ID.' },
      { key: 'client_secret', kind: 'Secret', label: 'Bot client secret', required: true, help: 'From the bot’s app registration.' },
    ],
  },
  {
    key: 'itglue',
    name: 'IT Glue',
    provider: 'Kaseya',
    category: 'Documentation',
    description: 'Link devices and contacts to IT Glue documentation.',
    docsUrl: null,
    links: [],
    fields: [{ key: 'api_key', kind: 'Secret', label: 'API key', required: true, help: 'Account › Settings › API Keys in IT Glue.' }],
  },
];
