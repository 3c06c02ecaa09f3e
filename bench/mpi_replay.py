#!/usr/bin/env python3
"""Replays a chamber-mpi job log (--job-log FILE) on P simulated ranks and prints the estimated parallel efficiency.

The model is the scheduler of chamber-mpi itself (arrangement/job_tree.hpp): rank 0 keeps the tree of jobs and hands
every idle worker the waiting job earliest in tree order; a job becomes waiting once rank 0 has read its parent's
result. Each job costs, on the worker, the seconds its search took in the logged run, plus a fixed message latency
(--latency); on rank 0, its logged master_seconds (rank 0's CPU to hand the job out, read its result and replay its
regions) plus its logged message bytes at --bandwidth (rank 0's link carries every job and result) plus --message-cpu
for each of the job's two messages (MPI's own work on rank 0, which the log leaves out), one job after the other. With P ranks, rank 0 serves and P - 1 ranks search. Efficiency = (sum of the search seconds) / (P * makespan).

usage: mpi_replay.py LOG [--ranks 16,64,256,1024] [--latency SECONDS] [--bandwidth BYTES_PER_S]
                     [--message-cpu SECONDS] [--batch N] [--markdown NAME]
"""
import argparse
import heapq
import json
import sys


def load(path, batch):
    """The job records by (batch, job name). A run resumed from a checkpoint appends its jobs to the log of the run it
    continues; job names are places in the tree, the same in both, so the log is one tree, replayed as if never
    interrupted. A job logged twice (finished after the log was written at a checkpoint, before the checkpoint file
    was) keeps its last record."""
    jobs = {}
    with open(path) as log:
        for number, line in enumerate(log, 1):
            line = line.strip()
            if not line:
                continue
            try:
                record = json.loads(line)
            except ValueError as error:
                sys.exit("%s:%d: not a JSON line: %s" % (path, number, error))
            if batch is not None and record["batch"] != batch:
                continue
            jobs[(record["batch"], record["name"])] = record
    if not jobs:
        sys.exit("%s: no job records%s" % (path, "" if batch is None else " of batch %d" % batch))
    return jobs


def parent_key(key):
    """A job's parent: its name without the last "-NNNNNN" (the root "r" has none)."""
    batch, name = key
    return (batch, name.rsplit("-", 1)[0]) if "-" in name else None


def tree_keys(jobs):
    """Each job's place in tree order (names of fixed-width child indices sort in tree order), and its children."""
    children = {}
    for key in sorted(jobs):
        parent = parent_key(key)
        if parent is not None:
            if parent not in jobs:
                sys.exit("job log: job %s of batch %d, but not its parent" % (key[1], key[0]))
            children.setdefault(parent, []).append(key)
    order = {key: key for key in jobs}
    return order, children


def simulate(jobs, order, children, ranks, latency, bandwidth, message_cpu):
    """Discrete events: a worker's result arrives at rank 0, or rank 0 has read (and replayed) one; returns the time
    the last result is read."""
    idle = max(1, ranks - 1)
    waiting = [(order[key], key) for key in jobs if parent_key(key) is None]
    heapq.heapify(waiting)
    events = []  # (time, sequence, kind, key); kind 0: arrival at rank 0, 1: rank 0 done with it
    sequence = 0
    master_queue = []  # arrivals rank 0 has not read yet, in arrival order
    master_busy = False
    now = 0.0
    done = 0

    def push(time, kind, key):
        nonlocal sequence
        sequence += 1
        heapq.heappush(events, (time, sequence, kind, key))

    while done < len(jobs):
        while idle and waiting:
            _, key = heapq.heappop(waiting)
            idle -= 1
            push(now + jobs[key]["seconds"] + latency, 0, key)
        now, _, kind, key = heapq.heappop(events)
        if kind == 0:
            idle += 1
            master_queue.append(key)
        else:
            done += 1
            master_busy = False
            for kid in children.get(key, []):
                heapq.heappush(waiting, (order[kid], kid))
        if not master_busy and master_queue:
            master_busy = True
            next_key = master_queue.pop(0)
            record = jobs[next_key]
            cost = record.get("master_seconds", 0.0) + record.get("bytes", 0) / bandwidth + 2 * message_cpu
            push(now + cost, 1, next_key)
    return now


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("log")
    parser.add_argument("--ranks", default="2,16,64,256,1024")
    parser.add_argument("--latency", type=float, default=50e-6, help="seconds per job message (default 50e-6)")
    parser.add_argument("--bandwidth", type=float, default=1.25e9,
                        help="bytes per second through rank 0's link (default 1.25e9: 10 Gbit/s Ethernet)")
    parser.add_argument("--message-cpu", type=float, default=2e-6,
                        help="rank 0's CPU seconds per message in MPI itself (default 2e-6)")
    parser.add_argument("--batch", type=int, help="only this enumeration of the run (default: all, one after the other)")
    parser.add_argument("--markdown", metavar="NAME", help="print markdown table rows named NAME")
    args = parser.parse_args()
    jobs = load(args.log, args.batch)
    order, children = tree_keys(jobs)
    work = sum(record["seconds"] for record in jobs.values())
    master = sum(record.get("master_seconds", 0.0) for record in jobs.values())
    traffic = sum(record.get("bytes", 0) for record in jobs.values())
    if not args.markdown:
        print("%d jobs, %.3f s of search, %.3f s on rank 0 (handing out jobs, reading and replaying results), "
              "%.1f MB through rank 0 (%.3f s at %.3g B/s), %.3f s in MPI calls on rank 0 (%.3g s per message)"
              % (len(jobs), work, master, traffic / 1e6, traffic / args.bandwidth, args.bandwidth,
                 2 * len(jobs) * args.message_cpu, args.message_cpu))
    for ranks in (int(r) for r in args.ranks.split(",")):
        makespan = simulate(jobs, order, children, ranks, args.latency, args.bandwidth, args.message_cpu)
        efficiency = work / (ranks * makespan) if makespan > 0 else 1.0
        if args.markdown:
            print("| %s | %d | %d | %.3f | %.2f | %.0f%% |" % (args.markdown, ranks, len(jobs), makespan, work / makespan,
                                                           100 * efficiency))
        else:
            print("%5d ranks: %.3f s, speedup %.1f, efficiency %.0f%%" % (ranks, makespan, work / makespan,
                                                                          100 * efficiency))


if __name__ == "__main__":
    main()
