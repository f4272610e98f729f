import { InstanceHeartbeat, type InstanceStatus } from '@gateway/contracts';
import pino from 'pino';
import { InstanceHeartbeatPublisher } from './instance-heartbeat.publisher';
import { RecordingBus } from './recording-event-bus.test-helper';

describe('InstanceHeartbeatPublisher', () => {
  let bus: RecordingBus;
  let status: InstanceStatus;
  let publisher: InstanceHeartbeatPublisher;

  beforeEach(() => {
    jest.useFakeTimers({ now: new Date('2026-11-21T10:00:00.000Z') });
    bus = new RecordingBus();
    status = { service: 'ingress', activeSessions: 0 };
    publisher = new InstanceHeartbeatPublisher({
      bus,
      instanceId: 'ingress-7',
      intervalMs: 5_000,
      checkIntervalMs: 1_000,
      consumerGroups: [],
      status: () => status,
      logger: pino({ level: 'silent' }),
    });
  });

  afterEach(() => {
    publisher.stop();
    jest.useRealTimers();
  });

  it('reports at start, on change within a check, and every interval while nothing changes', () => {
    publisher.start();
    expect(bus.published).toHaveLength(1);
    expect(bus.published[0]).toMatchObject({
      topic: InstanceHeartbeat.topic.name,
      key: 'ingress-7',
      value: {
        service: 'ingress',
        instanceId: 'ingress-7',
        activeSessions: 0,
        intervalMs: 5_000,
        reportedAt: '2026-11-21T10:00:00.000Z',
      },
    });

    jest.advanceTimersByTime(2_000);
    expect(bus.published).toHaveLength(1);

    status = { service: 'ingress', activeSessions: 1 };
    status = { service: 'ingress', activeSessions: 2 };
    jest.advanceTimersByTime(1_000);
    expect(bus.published).toHaveLength(2);
    expect(bus.published[1]?.value).toMatchObject({ activeSessions: 2 });

    jest.advanceTimersByTime(5_000);
    expect(bus.published).toHaveLength(3);
    expect(bus.published[2]?.value).toMatchObject({ reportedAt: '2026-11-21T10:00:08.000Z' });
  });

  it('publishes a tombstone when stopped, once', () => {
    publisher.start();
    publisher.stop();
    publisher.stop();
    expect(bus.published.map((message) => message.value)).toEqual([expect.any(Object), null]);
    expect(bus.published[1]?.key).toBe('ingress-7');
  });

  it('keeps running when a state breaks the contract, and says so in the log only', () => {
    publisher.start();
    status = { service: 'ingress', activeSessions: -1 };
    jest.advanceTimersByTime(1_000);
    status = { service: 'ingress', activeSessions: 3 };
    jest.advanceTimersByTime(1_000);
    expect(bus.published.map((message) => message.value)).toEqual([
      expect.objectContaining({ activeSessions: 0 }),
      expect.objectContaining({ activeSessions: 3 }),
    ]);
  });
});
