import { isAllowedTarget } from '../auth-config';
import { OAuthError } from './oauth-error';

/** The claims of an access token of this issuer (RFC 9068 plus the gateway's identity claims). */
export interface AccessTokenClaims {
  readonly iss: string;
  readonly sub: string;
  readonly aud: string | string[];
  readonly exp: number;
  readonly iat: number;
  readonly nbf: number;
  readonly jti: string;
  /** Space-separated, as RFC 8693 §4.2 and RFC 9068 §2.2.3 write it. */
  readonly scope: string;
  readonly tenant: string;
  readonly kind: string;
  readonly roles: string[];
  readonly teams: string[];
  readonly client_id: string;
  /** RFC 8693 §4.1: who acts for the subject; nested when the subject token had an actor already. */
  readonly act?: ActorClaim;
}

export interface ActorClaim {
  readonly sub: string;
  readonly act?: ActorClaim;
}

/** Whom a token is about: a principal with its roles and teams. */
export interface TokenSubject {
  readonly id: string;
  readonly tenant: string;
  readonly kind: string;
  readonly roles: readonly string[];
  readonly teams: readonly string[];
}

export interface TokenRequestFacts {
  readonly issuer: string;
  readonly subject: TokenSubject;
  readonly audience: string | string[];
  readonly scopes: readonly string[];
  readonly clientId: string;
  readonly actor?: ActorClaim;
  /** The latest exp allowed (seconds): an exchanged token never outlives its subject token. */
  readonly notAfter?: number;
  readonly now: Date;
  readonly ttlMs: number;
  readonly jti: string;
}

/**
 * The claims of a new token. Times are whole seconds rounded down, so the token never outlives
 * now + ttl, which is what the signing key's expiry is computed from.
 */
export function accessTokenClaims(facts: TokenRequestFacts): AccessTokenClaims {
  const iat = Math.floor(facts.now.getTime() / 1000);
  return {
    iss: facts.issuer,
    sub: facts.subject.id,
    aud: facts.audience,
    exp: Math.min(Math.floor((facts.now.getTime() + facts.ttlMs) / 1000), facts.notAfter ?? Infinity),
    iat,
    nbf: iat,
    jti: facts.jti,
    scope: facts.scopes.join(' '),
    tenant: facts.subject.tenant,
    kind: facts.subject.kind,
    roles: [...facts.subject.roles],
    teams: [...facts.subject.teams],
    client_id: facts.clientId,
    ...(facts.actor && { act: facts.actor }),
  };
}

/**
 * The scopes to grant: those requested, each of which must be allowed (RFC 6749 §3.3), or every
 * allowed scope when none were requested.
 */
export function grantedScopes(
  requested: readonly string[] | undefined,
  allowed: readonly string[],
): string[] {
  if (requested === undefined) return [...allowed];
  const refused = requested.filter((scope) => !allowed.includes(scope));
  if (refused.length > 0) {
    throw new OAuthError('invalid_scope', `not allowed for this client: ${refused.join(' ')}`);
  }
  return [...requested];
}

export interface AudiencePolicy {
  readonly defaultAudience?: string;
  readonly allowedResources: readonly string[];
}

/**
 * The `aud` of a token: the requested resources (RFC 8707) and audiences (RFC 8693), or the
 * default audience when none was named. A resource is an absolute URI without a fragment; with
 * allowed resources configured, every target must fall under one of them.
 */
export function tokenAudience(
  resources: readonly string[],
  audiences: readonly string[],
  policy: AudiencePolicy,
): string | string[] {
  for (const resource of resources) {
    if (!URL.canParse(resource) || new URL(resource).hash !== '') {
      throw new OAuthError(
        'invalid_target',
        `resource ${resource} is not an absolute URI without a fragment`,
      );
    }
  }
  const targets = [...new Set([...resources, ...audiences])];
  if (targets.length === 0) {
    if (policy.defaultAudience === undefined) {
      throw new OAuthError('invalid_target', 'name the resource the token is for (the resource parameter)');
    }
    targets.push(policy.defaultAudience);
  }
  if (policy.allowedResources.length > 0) {
    const outside = targets.filter((target) => !isAllowedTarget(target, policy.allowedResources));
    if (outside.length > 0) {
      throw new OAuthError('invalid_target', `no token is issued for ${outside.join(', ')}`);
    }
  }
  return targets.length === 1 ? targets[0]! : targets;
}
