/** Where the API server answers MCP (issue 25). Its own file: the stdio bridge imports it without the server. */
export const mcpPath = '/mcp';

/** The endpoint for a server URL: `/mcp` appended unless the path already names it. */
export function endpointOf(server: string): URL {
  const url = new URL(server);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`--server must be an http(s) URL, not ${url.protocol}`);
  const path = url.pathname.replace(/\/+$/, '');
  if (!path.endsWith(mcpPath)) url.pathname = `${path}${mcpPath}`;
  return url;
}
