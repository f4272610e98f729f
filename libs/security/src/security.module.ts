import { type DynamicModule, Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AdminAccessGuard } from './admin/admin-access.guard';
import { ApiKeyVerifier } from './credentials/api-key.verifier';
import { CredentialVerifier } from './credentials/credential.verifier';
import { JwtVerifier } from './credentials/jwt.verifier';
import { RevocationList } from './credentials/revocation.list';
import { SECURITY_CONFIG, type SecurityConfig } from './credentials/security-config';
import { SigningKeyDirectory } from './credentials/signing-key.directory';
import { SecurityEventPublisher } from './events/security-events.publisher';
import { PolicyBundleDirectory } from './policy/policy-bundle.directory';

/**
 * What every process that serves HTTP needs: in-process credential verification (keys and
 * revocations from Kafka, API keys from auth), the tenants' policy bundles, and the global
 * admin guard on its routes. One per
 * process; the embedded gateway includes it once for all its services.
 */
export interface SecurityModuleOptions {
  /** Follow the tenants' policy bundles (ingress and router, which enforce them). */
  readonly policyBundles?: boolean;
}

@Global()
@Module({})
export class SecurityModule {
  static forRoot(config: SecurityConfig, options: SecurityModuleOptions = {}): DynamicModule {
    const providers = [
      { provide: SECURITY_CONFIG, useValue: config },
      SigningKeyDirectory,
      RevocationList,
      ApiKeyVerifier,
      JwtVerifier,
      CredentialVerifier,
      SecurityEventPublisher,
      // The tenants' bundles (policies, rate limits, guardrails): only the data plane decides.
      ...(options.policyBundles
        ? [PolicyBundleDirectory.provider(SECURITY_CONFIG, (security: SecurityConfig) => security.instanceId)]
        : []),
    ];
    return {
      module: SecurityModule,
      providers: [...providers, { provide: APP_GUARD, useClass: AdminAccessGuard }],
      exports: providers.map((provider) => ('provide' in provider ? provider.provide : provider)),
    };
  }
}
