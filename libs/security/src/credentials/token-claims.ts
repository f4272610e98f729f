import type { JwtPayload } from 'jsonwebtoken';
import type { Principal } from '../identity/principal';
import { AuthenticationFailure } from './authentication-failure';
import type { OidcProviderConfig } from './security-config';

const principalKinds = new Set(['user', 'agent', 'service-account']);

function listClaim(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((item): item is string => typeof item === 'string');
  if (typeof value === 'string') return value.split(' ').filter(Boolean);
  return [];
}

function audiencesOf(claims: JwtPayload): string[] {
  return listClaim(claims.aud);
}

/**
 * The principal a verified token names. Tokens of the built-in issuer carry the gateway's own
 * claims (tenant, kind, roles, teams, scope); an external provider's claims are mapped by its
 * configuration (groups → roles and teams, its scope claim or default scopes).
 */
export function principalFromClaims(claims: JwtPayload, provider?: OidcProviderConfig): Principal {
  const jti = typeof claims.jti === 'string' ? claims.jti : undefined;
  const common = {
    credential: 'jwt' as const,
    issuer: String(claims.iss),
    audiences: audiencesOf(claims),
    expiresAtMs: typeof claims.exp === 'number' ? claims.exp * 1000 : undefined,
  };
  if (!provider) {
    if (!claims.sub || typeof claims['tenant'] !== 'string' || !jti) {
      throw new AuthenticationFailure('malformed', 'the token lacks sub, tenant or jti', jti);
    }
    const kind = String(claims['kind'] ?? 'agent');
    return {
      ...common,
      id: claims.sub,
      tenant: claims['tenant'] as string,
      kind: (principalKinds.has(kind) ? kind : 'agent') as Principal['kind'],
      roles: listClaim(claims['roles']),
      teams: listClaim(claims['teams']),
      scopes: listClaim(claims['scope']),
      credentialId: jti,
    };
  }
  const subject = claims[provider.subjectClaim];
  if (typeof subject !== 'string' || !subject) {
    throw new AuthenticationFailure('malformed', `the token lacks its ${provider.subjectClaim} claim`, jti);
  }
  if (provider.audiences && !common.audiences.some((audience) => provider.audiences!.includes(audience))) {
    throw new AuthenticationFailure(
      'wrong-audience',
      `the token is not for ${provider.audiences.join(' or ')}`,
      jti,
    );
  }
  const groups = listClaim(claims[provider.groupsClaim]);
  const roles = new Set(provider.defaultRoles);
  for (const group of groups) for (const role of provider.roleMapping[group] ?? []) roles.add(role);
  const scopes = listClaim(claims[provider.scopesClaim]);
  return {
    ...common,
    id: `${provider.kind === 'user' ? 'user' : 'agent'}:${subject}`,
    tenant: provider.tenant,
    kind: provider.kind,
    roles: [...roles],
    teams: provider.groupsAsTeams ? groups : [],
    scopes: scopes.length > 0 ? scopes : provider.defaultScopes,
    credentialId: jti ?? `${String(claims.iss)}#${subject}#${String(claims.iat ?? '')}`,
  };
}
