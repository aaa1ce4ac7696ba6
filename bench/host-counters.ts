import { readFileSync } from 'node:fs';

// Linux counters read around a benchmark run, to explain a throughput figure rather than to
// produce one. Under scripts/isolated-net.sh the UDP counters are the namespace's own, so they
// count the benchmark's traffic and nothing else.

/** CPU seconds spent by the whole machine (every process and the kernel) so far. */
export function machineCpuSeconds(): number {
  const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  // user nice system idle iowait irq softirq steal …: busy is all but idle, iowait and steal.
  const [user, nice, system, , , irq, softirq] = fields;
  return (user + nice + system + irq + softirq) / 100; // USER_HZ is 100 on Linux
}

/** UDP datagrams dropped so far because a receiving socket's buffer was full (IPv4 and IPv6). */
export function udpReceiveDrops(): number {
  const v4 = readFileSync('/proc/net/snmp', 'utf8').split('\n').filter((line) => line.startsWith('Udp:'));
  const names = v4[0]?.split(/\s+/) ?? [];
  const values = v4[1]?.split(/\s+/).map(Number) ?? [];
  const v6 = /Udp6RcvbufErrors\s+(\d+)/.exec(readFileSync('/proc/net/snmp6', 'utf8'));
  return (values[names.indexOf('RcvbufErrors')] ?? 0) + Number(v6?.[1] ?? 0);
}

/** Runs `work` and reports what it cost the machine, next to its own result. */
export async function withCounters<T>(work: () => Promise<T>): Promise<{ result: T; cpuSeconds: number; udpDrops: number }> {
  const cpu = machineCpuSeconds();
  const drops = udpReceiveDrops();
  const result = await work();
  return { result, cpuSeconds: machineCpuSeconds() - cpu, udpDrops: udpReceiveDrops() - drops };
}
