/**
 * Bodies from MSP360's published API documentation (shared/vendor-apis.md §2: MSP-GB, the MBS
 * API documentation in MSP360's own style; MSP-DOC, the vendor's help pages). The fake answers
 * with them and the tests replay them against the plugin.
 */
export const msp360Examples = {
  /** `POST /api/Provider/Login` 200 [M: MSP-GB authentication.md]: OAuth-style, two weeks less a second. */
  login: {
    access_token: 'fakeEkt8_niPVUehjYUSgKCTqC6w40s7aUfakez16m7egNZQkId1LMUhUEeMlNGfake',
    token_type: 'bearer',
    expires_in: 1209599,
    userName: 'wejfiwejf',
    '.issued': 'Sat, 28 Apr 2018 13:50:43 GMT',
    '.expires': 'Sat, 12 May 2018 13:50:43 GMT',
  },
  /** `POST /api/Provider/Login` 400 for a wrong user name or password [M: MSP-GB authentication.md]. */
  loginRefused: { error: 'invalid_grant', error_description: 'The user name or password is incorrect.' },
  /** `GET /api/Companies` items use `Id` [H: MSP-DOC get-apicompanies]. */
  companies: [{ Id: '5d8f7a3e-1c2b-4e5f-9a8b-7c6d5e4f3a2b', Name: 'Contoso', StorageLimit: -1, LicenseSettings: 1, Destinations: [] }],
  /** A path the API does not have: ASP.NET Web API's 404 [M: MSP-GB authentication.md]. */
  notFound: (uri: string) => ({ Message: `No HTTP resource was found that matches the request URI '${uri}'.` }),
} as const;
