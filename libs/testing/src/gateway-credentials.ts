/**
 * The credentials the test topologies start with: the admin API key auth creates on first start
 * (AUTH_BOOTSTRAP_ADMIN_KEY) and the master key that seals stored secrets. Fixed values, so a
 * topology started again on the same database finds what it sealed and the key it made; they
 * open nothing outside a test's loopback gateway.
 */
export const testAdminKey = 'mgw_test-admin-key-for-loopback-tests-only-0000';

export const testMasterKey = '6d67772d746573742d6d61737465722d6b65792d6c6f6f706261636b2d6f6e6c';

/** Environment for a gateway process under test: its first admin key and its master key. */
export const testCredentialEnv: Readonly<Record<string, string>> = {
  AUTH_BOOTSTRAP_ADMIN_KEY: testAdminKey,
  GATEWAY_MASTER_KEY: testMasterKey,
};

/** Request headers that authenticate as the test admin. */
export function testAdminHeaders(): Record<string, string> {
  return { authorization: `Bearer ${testAdminKey}` };
}
