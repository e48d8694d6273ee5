// npm-registry-fetch and the fetch stack under it (make-fetch-happen, cacache, minipass-fetch, iconv-lite: about 1 MB
// bundled) are loaded when a scan first asks the registry, not by every run of the CLI.
import type registryFetch from "npm-registry-fetch";

export type NpmFetch = typeof registryFetch;
export type NpmFetchOptions = registryFetch.FetchOptions;

export async function npmFetch(): Promise<NpmFetch> {
  return (await import("npm-registry-fetch")).default;
}
