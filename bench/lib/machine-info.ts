/** The machine and versions a benchmark ran on, for the section header. */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';

export interface MachineInfo {
  cores: number;
  cpuModel: string;
  totalMemoryBytes: number;
  node: string;
  redis: string;
  bullmq: string;
  platform: string;
}

function redisVersion(): string {
  try {
    const out = execFileSync('redis-server', ['--version'], { encoding: 'utf8', timeout: 5000 });
    return /v=(\S+)/.exec(out)?.[1] ?? out.trim();
  } catch {
    return 'redis-server not found on PATH';
  }
}

function packageVersion(root: string, name: string): string {
  try {
    return (JSON.parse(readFileSync(join(root, 'node_modules', name, 'package.json'), 'utf8')) as { version?: string }).version ?? 'unknown';
  } catch {
    return 'not installed';
  }
}

export function machineInfo(root: string): MachineInfo {
  const cpus = os.cpus();
  return {
    cores: cpus.length,
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    totalMemoryBytes: os.totalmem(),
    node: process.version,
    redis: redisVersion(),
    bullmq: packageVersion(root, 'bullmq'),
    platform: `${os.type()} ${os.release()} ${os.arch()}`,
  };
}

export const mib = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
export const gib = (bytes: number): string => `${(bytes / 1024 ** 3).toFixed(1)} GiB`;

export function machineLines(m: MachineInfo): string[] {
  return [
    `- machine: ${m.cores} cores (${m.cpuModel}), ${gib(m.totalMemoryBytes)} memory, ${m.platform}`,
    `- versions: Node ${m.node}, Redis ${m.redis}, bullmq ${m.bullmq}`,
  ];
}
