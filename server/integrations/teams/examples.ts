/**
 * Bodies Microsoft documents (vendor-apis.md §7 and the pages it names). Tests replay them
 * against the plugin (test/replayServer.ts), so our reading of the Bot Framework and Entra is
 * checked against what Microsoft wrote, not against our fake's choices. Ids are the documents'
 * placeholders or made-up values of the same shape.
 */
export const teamsExamples = {
  /** Token success: `access_token`, `token_type`, `expires_in` [M: vendor-apis.md §7]. */
  token: { token_type: 'Bearer', expires_in: 3599, ext_expires_in: 3599, access_token: 'eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.example.signature' },
  /** Entra's error body for a bad secret, with HTTP 401 [M: vendor-apis.md §7, MS-ISS]. */
  invalidSecret: {
    error: 'invalid_client',
    error_description:
      "AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '00000000-0000-0000-0000-000000000001'. Trace ID: 0b1e4b6a-0000-0000-0000-000000000000 Correlation ID: 7c1f0e55-0000-0000-0000-000000000000 Timestamp: 2025-01-06 09:00:00Z",
    error_codes: [7000215],
    timestamp: '2025-01-06 09:00:00Z',
    trace_id: '0b1e4b6a-0000-0000-0000-000000000000',
    correlation_id: '7c1f0e55-0000-0000-0000-000000000000',
    error_uri: 'https://login.microsoftonline.com/error?code=7000215',
  },
  /** HTTP 400: the app is not in the directory asked [H: entra reference-error-codes; vendor-apis.md §7]. */
  appNotInDirectory: {
    error: 'unauthorized_client',
    error_description:
      "AADSTS700016: Application with identifier '00000000-0000-0000-0000-000000000001' was not found in the directory 'Bot Framework'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.",
    error_codes: [700016],
    timestamp: '2025-01-06 09:00:00Z',
    trace_id: '0b1e4b6a-0000-0000-0000-000000000000',
    correlation_id: '7c1f0e55-0000-0000-0000-000000000000',
    error_uri: 'https://login.microsoftonline.com/error?code=700016',
  },
  /** HTTP 400: unknown tenant [M: vendor-apis.md §7]. */
  unknownTenant: {
    error: 'invalid_request',
    error_description: "AADSTS90002: Tenant 'contoso.example' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.",
    error_codes: [90002],
    timestamp: '2025-01-06 09:00:00Z',
    trace_id: '0b1e4b6a-0000-0000-0000-000000000000',
    correlation_id: '7c1f0e55-0000-0000-0000-000000000000',
    error_uri: 'https://login.microsoftonline.com/error?code=90002',
  },
  /** `POST /v3/conversations` into a channel, 201 `{id, activityId}` [H: msteams-docs bots-conv-proactive.md]. */
  channelConversation: { id: '19:abc123def456@thread.tacv2;messageid=1736154000000', activityId: '1736154000000' },
  /** `POST /v3/conversations` to one user, 201 `{id: "a:…"}` [H: msteams-docs send-proactive-messages.md]. */
  personalConversation: { id: 'a:1qhNLqpUtmuI6U35gzjsJn7uRnCkW8NiZALHfN8AMxdbprS1uta2aT-jytfIlsZR3UZeg3TsIONNInBHsdjzj3PtfHuhkxxvS1jZZ61UAbw8fIdXcNSJyTJm7YvHFOgxo' },
  /** `POST /v3/conversations/{id}/activities`, 201: a ResourceResponse `{id}` [H: msteams-docs send-proactive-messages.md]. */
  activity: { id: '1736154000123' },
  /** 403 where the app is not installed [H: vendor-apis.md §7]. */
  notInRoster: { error: { code: 'BotNotInConversationRoster', message: 'The bot is not part of the conversation roster.' } },
  /** 403 for a user who blocked or uninstalled the bot [H: msteams-docs send-proactive-messages.md]. */
  messageWritesBlocked: {
    errorCode: 209,
    message: '{\r\n  "subCode": "MessageWritesBlocked",\r\n  "details": "Thread is blocked from message writes.",\r\n  "errorCode": null,\r\n  "errorSubCode": null\r\n}',
  },
} as const;
