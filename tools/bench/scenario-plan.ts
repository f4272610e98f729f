import type { ScenarioResult } from './bench-report';
import { callScenario } from './call.scenario';
import { churnScenario } from './churn.scenario';
import { listScenario } from './list.scenario';
import { payloadScenario } from './payload.scenario';
import type { ScenarioContext } from './scenario-context';
import { sessionsScenario } from './sessions.scenario';

export const scenarioNames = ['call', 'call-stdio', 'list', 'sessions', 'churn', 'payload'];

interface PlannedStep {
  readonly scenario: (typeof scenarioNames)[number];
  readonly label: string;
  run(context: ScenarioContext): Promise<ScenarioResult>;
}

const callSteps = (transport: 'http' | 'stdio'): PlannedStep[] =>
  (['fixture', 'everything'] as const).flatMap((upstream) =>
    [1, 32].map((sessions) => ({
      scenario: transport === 'http' ? 'call' : 'call-stdio',
      label: `${transport === 'http' ? 'call' : 'call-stdio'}, ${upstream}, ${sessions} session(s)`,
      run: (context: ScenarioContext) => callScenario(context, { upstream, transport, sessions }),
    })),
  );

/**
 * Every topology runs these in this order. The cold list comes last: it restarts the router with
 * list caching off.
 */
export const scenarioPlan: readonly PlannedStep[] = [
  ...callSteps('http'),
  ...callSteps('stdio'),
  { scenario: 'payload', label: 'payload, 1 MiB results', run: payloadScenario },
  { scenario: 'churn', label: 'churn, 32 workers', run: (context) => churnScenario(context, 32) },
  { scenario: 'sessions', label: 'sessions, idle', run: sessionsScenario },
  { scenario: 'list', label: 'list, warm', run: (context) => listScenario(context, 'warm') },
  {
    scenario: 'list',
    label: 'list, cold (router restarted with ROUTER_LIST_CACHE_TTL_MS=0)',
    run: async (context) => {
      await context.topology.restartRouter({ ROUTER_LIST_CACHE_TTL_MS: '0' });
      return listScenario(context, 'cold');
    },
  },
];
