import type { IncomingHttpHeaders } from 'node:http';
import { Inject, Injectable } from '@nestjs/common';
import { JsonRpcErrorCode } from '@gateway/mcp';
import {
  AuthenticationFailure,
  checkAudience,
  CredentialServiceUnavailable,
  CredentialVerifier,
  presentedCredential,
  type Principal,
  SecurityEventPublisher,
} from '@gateway/security';
import { INGRESS_CONFIG, type IngressConfig } from '../ingress-config';
import { mcpScopesSupported, missingScopes } from './mcp-scopes';
import type { RequestIdentity } from './request-identity';

export interface AdmissionRequest {
  readonly headers: IncomingHttpHeaders;
  readonly clientAddress: string;
  /** The virtual server addressed, if any: its own resource identifier. */
  readonly view: string | undefined;
  readonly scopes: readonly string[];
  /** What was asked, for the security event: "POST /mcp tools/call", "GET /sse", ... */
  readonly action: string;
}

export type Admission =
  | { readonly admitted: true; readonly identity: RequestIdentity }
  | {
      readonly admitted: false;
      readonly status: 401 | 403 | 503;
      readonly wwwAuthenticate?: string;
      readonly code: number;
      readonly message: string;
    };

function quoted(value: string): string {
  return `"${value.replace(/["\\]/g, '')}"`;
}

/**
 * The MCP endpoints as an OAuth 2.1 resource server (MCP authorization, 2025-06-18 and later):
 * no credential → 401 naming the protected resource metadata (RFC 9728); a bad one → 401
 * invalid_token; a token for another resource → 401 (RFC 8707); too few scopes → 403
 * insufficient_scope so the client can step up. Every refusal is a security event.
 */
@Injectable()
export class McpAuthenticator {
  constructor(
    private readonly credentials: CredentialVerifier,
    private readonly events: SecurityEventPublisher,
    @Inject(INGRESS_CONFIG) private readonly config: IngressConfig,
  ) {}

  /** The resource identifier of the whole gateway or of one virtual server. */
  resourceOf(view: string | undefined): string {
    return view
      ? `${this.config.publicUrl}/servers/${encodeURIComponent(view)}/mcp`
      : `${this.config.publicUrl}/mcp`;
  }

  /** Where the resource's metadata is (RFC 9728 §3.1: the well-known name before the path). */
  metadataUrlOf(view: string | undefined): string {
    const path = new URL(this.resourceOf(view)).pathname;
    return `${this.config.publicUrl}/.well-known/oauth-protected-resource${path}`;
  }

  async admit(request: AdmissionRequest): Promise<Admission> {
    let principal: Principal;
    let credential: string | undefined;
    try {
      credential = presentedCredential(request.headers);
      if (!credential) throw new AuthenticationFailure('missing', 'this endpoint needs a credential');
      principal = await this.credentials.verify(credential);
      // A token for the whole gateway is good for its virtual servers; policies still decide.
      checkAudience(principal, [this.resourceOf(request.view), this.resourceOf(undefined)]);
    } catch (error) {
      if (error instanceof CredentialServiceUnavailable) {
        return { admitted: false, status: 503, code: JsonRpcErrorCode.internalError, message: error.message };
      }
      if (!(error instanceof AuthenticationFailure)) throw error;
      return this.unauthenticated(request, error);
    }
    const missing = missingScopes(principal.scopes, request.scopes);
    if (missing.length > 0) return this.insufficientScope(request, principal, missing);
    return {
      admitted: true,
      identity: {
        principal,
        clientAddress: request.clientAddress,
        subjectToken: principal.credential === 'jwt' ? credential : '',
      },
    };
  }

  private unauthenticated(request: AdmissionRequest, failure: AuthenticationFailure): Admission {
    const metadata = `resource_metadata=${quoted(this.metadataUrlOf(request.view))}`;
    this.events.publish({
      kind: 'authentication-failed',
      tenant: failure.claimedTenant,
      method: request.action,
      target: this.resourceOf(request.view),
      reason: `${failure.reason}: ${failure.message}`,
      clientAddress: request.clientAddress,
      credentialId: failure.credentialId,
      action: 'rejected',
    });
    const challenge =
      failure.reason === 'missing'
        ? `Bearer ${metadata}, scope=${quoted(mcpScopesSupported.join(' '))}`
        : `Bearer error="invalid_token", error_description=${quoted(failure.message)}, ${metadata}`;
    return {
      admitted: false,
      status: 401,
      wwwAuthenticate: challenge,
      code: JsonRpcErrorCode.authenticationRequired,
      message:
        failure.reason === 'missing'
          ? `Unauthorized: this endpoint needs a credential; see ${this.metadataUrlOf(request.view)}`
          : `Unauthorized: ${failure.message}`,
    };
  }

  private insufficientScope(request: AdmissionRequest, principal: Principal, missing: string[]): Admission {
    const needed = [...new Set([...principal.scopes, ...request.scopes])].join(' ');
    this.events.publish({
      kind: 'access-denied',
      tenant: principal.tenant,
      principal: principal.id,
      method: request.action,
      target: this.resourceOf(request.view),
      reason: `insufficient_scope: needs ${missing.join(' ')}`,
      clientAddress: request.clientAddress,
      credentialId: principal.credentialId,
      action: 'rejected',
    });
    return {
      admitted: false,
      status: 403,
      wwwAuthenticate:
        `Bearer error="insufficient_scope", scope=${quoted(needed)}, ` +
        `resource_metadata=${quoted(this.metadataUrlOf(request.view))}, ` +
        `error_description=${quoted(`this request needs ${missing.join(' ')}`)}`,
      code: JsonRpcErrorCode.accessDenied,
      message: `Forbidden: this request needs the scope ${missing.join(' ')}`,
    };
  }
}
