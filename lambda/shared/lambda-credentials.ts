import { fromEnv } from '@aws-sdk/credential-provider-env';

// Bundled in place of `@aws-sdk/credential-provider-node` (esbuild `alias` in
// lib/bundling/function-bundles.ts). Lambda hands every function its role's credentials in
// AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN, so the rest of the SDK's default
// chain (SSO, STS web identity, ini files, the instance metadata service, about 80 KB with their
// nested clients) is code a function loads on every cold start and never runs.

/** The SDK clients' default credential provider, as `@aws-sdk/credential-provider-node` names it. */
export const defaultProvider = (init?: Parameters<typeof fromEnv>[0]) => fromEnv(init);
