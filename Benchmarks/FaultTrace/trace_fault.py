"""Where one page fault's instructions go: a gdb script, run by `./build.sh trace-fault KIND`.

QEMU runs Cowbird paused behind its gdb stub, with User/demos/faultprobe as pid 1. faultprobe
makes one page fault of the chosen kind with r15 = 0x5eed, so a breakpoint on the page-fault
entry (trap_entry_14) conditioned on r15 stops at that fault and no other. From there the
script single-steps the CPU until it runs a user address again (the return to ring 3) and
charges each instruction to the function whose symbol covers it (iso/kernel.elf's symbols:
ILC names C# methods <assembly>_<namespace>_<Type>__<Method>).

QEMU single-steps with interrupts held off, so a timer tick never lands in the trace and a
rerun of the same kernel gives the same counts within a few instructions. A rep-prefixed
string instruction counts once per repetition, as the CPU's own single-step trap counts it.

Environment: COWBIRD_TRACE_ELF (the kernel image), COWBIRD_TRACE_PORT (QEMU's gdb port),
COWBIRD_TRACE_KIND (read, write or cow: printed in the heading), COWBIRD_TRACE_TOP (rows),
COWBIRD_TRACE_OUT (the file the table goes to: gdb's own output shows each step's source line).
"""
import bisect
import collections
import os
import subprocess

import gdb

USER_TOP = 0x0000_8000_0000_0000   # addresses below this are user space
PROBE_MARKER = 0x5EED              # faultprobe's r15 at the probed access
MAX_STEPS = 500_000                # a fault longer than this is a hang, not a trace


def function_symbols(elf):
    """The text symbols of elf, sorted: (addresses, names)."""
    listing = subprocess.run(["nm", "-n", elf], capture_output=True, text=True, check=True).stdout
    addresses, names = [], []
    for line in listing.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[1] in ("T", "t"):
            addresses.append(int(parts[0], 16))
            names.append(parts[2])
    return addresses, names


def readable(symbol):
    """kernel_Cowbird_Mm_Vm_AddressSpace__MoveVma -> Cowbird.Mm.Vm.AddressSpace.MoveVma;
    assembly labels (trap_entry_14, user_return) stay as they are."""
    if not symbol.startswith("kernel_") or "__" not in symbol:
        return symbol
    owner, method = symbol[len("kernel_"):].split("__", 1)
    return owner.replace("_", ".") + "." + method


def register(name):
    return int(gdb.parse_and_eval("$" + name)) & 0xFFFF_FFFF_FFFF_FFFF


def trace_to_user():
    """Single-steps from the current instruction until a user address; the kernel pcs."""
    pcs = []
    pc = register("pc")
    while pc >= USER_TOP:
        pcs.append(pc)
        if len(pcs) > MAX_STEPS:
            raise gdb.GdbError(f"trace-fault: still in the kernel after {MAX_STEPS} instructions")
        gdb.execute("stepi", to_string=True)
        pc = register("pc")
    return pcs


def charge(pcs, addresses, names):
    """Instructions per function (a Counter of readable names)."""
    counts = collections.Counter()
    for pc in pcs:
        i = bisect.bisect_right(addresses, pc) - 1
        counts[readable(names[i]) if i >= 0 else hex(pc)] += 1
    return counts


def report(out, kind, counts, total, top):
    print(f"trace-fault {kind}: {total:,} instructions from the page-fault entry to ring 3, "
          f"in {len(counts)} functions", file=out)
    print(f"{'instructions':>12} {'share':>6}  function", file=out)
    shown = 0
    for name, n in counts.most_common(top):
        print(f"{n:>12,} {100.0 * n / total:>5.1f}%  {name}", file=out)
        shown += n
    if total > shown:
        print(f"{total - shown:>12,} {100.0 * (total - shown) / total:>5.1f}%  "
              f"({len(counts) - top} other functions)", file=out)


def main():
    elf = os.environ["COWBIRD_TRACE_ELF"]
    kind = os.environ.get("COWBIRD_TRACE_KIND", "?")
    top = int(os.environ.get("COWBIRD_TRACE_TOP", "25"))
    gdb.execute("set pagination off")
    gdb.execute("set confirm off")
    gdb.execute(f"target remote 127.0.0.1:{os.environ['COWBIRD_TRACE_PORT']}", to_string=True)
    gdb.execute(f"break trap_entry_14 if $r15 == {PROBE_MARKER:#x}", to_string=True)
    gdb.execute("continue", to_string=True)
    if register("pc") < USER_TOP or register("r15") != PROBE_MARKER:
        raise gdb.GdbError("trace-fault: the probed fault never came (did faultprobe run?)")
    gdb.execute("delete", to_string=True)
    pcs = trace_to_user()
    addresses, names = function_symbols(elf)
    with open(os.environ["COWBIRD_TRACE_OUT"], "w") as out:
        report(out, kind, charge(pcs, addresses, names), len(pcs), top)


main()
