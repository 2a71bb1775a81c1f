using Cowbird.Mm;
using Cowbird.Mm.Vm;
using Cowbird.Kernel.Processes;

namespace Cowbird.Kernel.Fs.Proc
{
    // A process's memory figures in pages, as Linux's /proc/<pid>/stat, statm and status
    // count them (fs/proc/task_mmu.c): all zero for a zombie, which has no address space.
    //   Size      every VMA (total_vm)
    //   Resident  PTEs holding a frame other than the zero page (Cowbird's memory is all
    //             anonymous, so this is RssAnon and VmRSS)
    //   Swap      swap PTEs
    //   Text      executable VMAs (VmExe)
    //   Data      private writable VMAs that are not the stack (data_vm, VmData)
    //   Stack     the stack VMA (stack_vm, VmStk)
    //   Tables    page-table pages (VmPTE)
    //   Locked    locked VMAs (locked_vm, VmLck)
    public struct ProcessMemory
    {
        public ulong Size, Resident, Swap, Text, Data, Stack, Tables, Locked;
        // The first executable VMA (the program's code) and the heap's start, for stat.
        public ulong CodeStart, CodeEnd, BrkStart;

        // Walks `process`'s VMAs and page tables: O(mapped range).
        public static ProcessMemory Of(Process process)
        {
            ProcessMemory memory = default;
            AddressSpace space = process.Space;
            if (space == null)
                return memory;
            for (Vma vma = space.Vmas.First; vma != null; vma = vma.Next)
            {
                ulong pages = (vma.End - vma.Start) / Page.Size;
                memory.Size += pages;
                if (vma.Start <= process.StackStart && process.StackStart < vma.End)
                    memory.Stack += pages;
                else if ((vma.Prot & Protection.Write) != 0 && !vma.IsShared)
                    memory.Data += pages;
                if ((vma.Prot & Protection.Exec) != 0)
                {
                    memory.Text += pages;
                    if (memory.CodeEnd == 0)
                    {
                        memory.CodeStart = vma.Start;
                        memory.CodeEnd = vma.End;
                    }
                }
            }
            OomBadness walk = new OomBadness();
            walk.Score(space);
            memory.Resident = walk.Resident;
            memory.Swap = walk.SwapEntries;
            memory.Tables = space.PageTable.TablePages;
            memory.Locked = space.LockedPages();
            memory.BrkStart = space.BrkStart;
            return memory;
        }
    }
}
