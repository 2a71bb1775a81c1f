using Cowbird.Kernel.Boot;
using Cowbird.Kernel.Memory;
using Cowbird.Mm.Physical;

namespace Cowbird.Kernel.SelfTests
{
    // Kernel stacks come and go without a trace: stacks spread over several 2 MiB blocks of
    // the stack window (a page table each) give every frame back when freed, their page
    // tables included, and a stack made afterwards is mapped and writable again.
    public sealed unsafe class KernelStacksSelfTest : SelfTest
    {
        public override string Name => "kernel-stacks";

        // Enough stacks to fill three blocks of 32 slots and start a fourth.
        private const int StackCount = 3 * 32 + 1;
        private const ulong StackPages = KernelStackArea.StackSize / 4096;

        public override bool Run(BootInfo bootInfo)
        {
            FrameAllocator frames = KernelMemory.Manager.Frames;
            ulong[] tops = new ulong[StackCount];
            // The window's page directory stays once made: make it before counting.
            bool ok = Check(FreeStack(AllocateStack()), "a stack is made and freed");
            ulong startFrames = frames.FreeFrames;

            bool all = true;
            for (int i = 0; i < StackCount; i++)
            {
                tops[i] = AllocateStack();
                all &= tops[i] != 0;
            }
            ok &= Check(all, "stacks filling three blocks and starting a fourth are made");
            ok &= Check(startFrames - frames.FreeFrames >= StackCount * StackPages + 4,
                "they take their pages and four page tables");
            for (int i = 0; i < StackCount; i++)
                all &= FreeStack(tops[i]);
            ok &= Check(all, "each stack holds what was written to it");
            ok &= Check(frames.FreeFrames == startFrames, "freeing them gives back every frame, page tables included");
            ok &= Check(FreeStack(AllocateStack()), "a stack made afterwards works");
            ok &= Check(frames.FreeFrames == startFrames, "and gives its frames back too");
            return ok;
        }

        // A new stack with its lowest and highest words written; its top, or 0.
        private static ulong AllocateStack()
        {
            ulong top = KernelStackArea.Allocate(out _);
            if (top != 0)
            {
                *(ulong*)(top - KernelStackArea.StackSize) = top;
                *(ulong*)(top - 8) = top;
            }
            return top;
        }

        // Checks the words AllocateStack wrote and frees the stack; false for 0 or a mismatch.
        private static bool FreeStack(ulong top)
        {
            if (top == 0)
                return false;
            bool intact = *(ulong*)(top - KernelStackArea.StackSize) == top && *(ulong*)(top - 8) == top;
            KernelStackArea.Free(top);
            return intact;
        }
    }
}
