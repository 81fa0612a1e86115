/**
 * Bodies Tactical RMM sends, as its own source writes them (TRMM in shared/vendor-apis.md §4:
 * amidaware/tacticalrmm, DRF with Knox and the API-key authentication). The fake answers with
 * them and the tests check the plugin's reading of them. DRF's error bodies are `{"detail": …}`;
 * TRMM's own refusals (`notify_error`) are a bare JSON string with HTTP 400.
 */
export const tacticalExamples = {
  /** No X-API-KEY (nor Authorization) header: 401 [M: DRF `NotAuthenticated`]. */
  notAuthenticated: { detail: 'Authentication credentials were not provided.' },
  /** An unknown key: 401 [H: TRMM auth.py; wording M]. */
  invalidToken: { detail: 'Invalid token.' },
  /** A key past its expiration date: 401 [H: TRMM auth.py]. */
  expiredToken: { detail: 'The token has expired.' },
  /** A role without the view's permission: 403 [H: DRF `PermissionDenied` default detail]. */
  permissionDenied: { detail: 'You do not have permission to perform this action.' },
  /** `get_object_or_404` on an unknown agent: 404 [H: DRF `Http404`]. */
  notFound: { detail: 'Not found.' },
  /** DRF's throttle body (TRMM throttles only logins; a proxy may add more) [M]. */
  throttled: { detail: 'Request was throttled. Expected available in 2 seconds.' },
  /** `GET /`: open to anyone, so it proves nothing [H: TRMM core/views.py `home`]. */
  home: { status: 'ok' },
  /** `GET /core/version/`: the web UI's version, a bare JSON string [H: TRMM settings.py APP_VER]. */
  version: '0.0.203',
  /** `GET /core/dashinfo/`: `trmm_version` is the product release [H: TRMM core/views.py `dashboard_info`]. */
  dashinfo: {
    trmm_version: '1.5.1',
    latest_trmm_ver: '1.5.1',
    dark_mode: true,
    show_community_scripts: true,
    dbl_click_action: 'editagent',
    default_agent_tbl_tab: 'mixed',
    url_action: null,
    client_tree_sort: 'alphafail',
    client_tree_splitter: 11,
    loading_bar_color: 'red',
    clear_search_when_switching: true,
    hosted: false,
    date_format: 'MMM-DD-YYYY - HH:mm',
  },
  /** `notify_error` bodies [H: TRMM agents/views.py]. */
  unableToContact: 'Unable to contact the agent',
  monitoringTypeUnknown: 'monitoring type does not exist',
  /** The dashboard host: nginx `try_files … /index.html` answers every path with the app [H: TRMM install.sh]. */
  dashboardIndex:
    '<!DOCTYPE html><html><head><title>Tactical RMM</title><meta charset=utf-8><link href=/css/app.css rel=stylesheet></head><body><div id=q-app></div><script src=/js/app.js></script></body></html>',
  /** Django's production 404 and 500 pages (HTML, not JSON). */
  djangoNotFound: '<!doctype html><html lang="en"><head><title>Not Found</title></head><body><h1>Not Found</h1><p>The requested resource was not found on this server.</p></body></html>',
  djangoServerError: '<!doctype html><html lang="en"><head><title>Server Error (500)</title></head><body><h1>Server Error (500)</h1><p></p></body></html>',
} as const;
