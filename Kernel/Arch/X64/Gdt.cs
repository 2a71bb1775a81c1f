using System.Runtime.InteropServices;

namespace Cowbird.Kernel.Arch.X64
{
    // The kernel's Global Descriptor Table, replacing the boot stub's. Long mode
    // ignores segment bases and limits, so the descriptors only say "code or
    // data, ring 0 or 3, 64-bit". The order is the one syscall/sysret dictate
    // (STAR MSR): kernel code, kernel data; then user data, user code, because
    // sysret loads SS = base + 8 and CS = base + 16 from the same base.
    // The last entry is the TSS, which holds the interrupt stacks.
    public static unsafe class Gdt
    {
        public const ushort KernelCodeSelector = 0x08;
        public const ushort KernelDataSelector = 0x10;
        public const ushort UserDataSelector = 0x18 | 3;   // RPL 3
        public const ushort UserCodeSelector = 0x20 | 3;
        public const ushort TaskStateSelector = 0x28;

        // Flat descriptors: base 0, limit 4 GiB; access byte + flags as the SDM encodes them.
        private const ulong KernelCode64 = 0x00AF9A000000FFFF;   // present, ring 0, code, L=1
        private const ulong KernelData = 0x00CF92000000FFFF;     // present, ring 0, data, writable
        private const ulong UserData = 0x00CFF2000000FFFF;       // present, ring 3, data, writable
        private const ulong UserCode64 = 0x00AFFA000000FFFF;     // present, ring 3, code, L=1
        private const ulong TssAvailablePresent = 0x89;         // type 9 (available 64-bit TSS), present

        [StructLayout(LayoutKind.Sequential)]
        private struct Table
        {
            public ulong Null, KernelCode, KernelData, UserData, UserCode, TaskStateLow, TaskStateHigh;
        }

        private static Table s_table;
        private static TaskStateSegment s_taskState;

        // The TSS, so the interrupt stacks (and later rsp0) can be set.
        public static TaskStateSegment* TaskState
        {
            get { fixed (TaskStateSegment* tss = &s_taskState) return tss; }
        }

        // Fills the table, loads it (reloading every segment register) and the task register.
        // The TSS's stack fields must be set before the first interrupt, not before this call.
        public static void Initialize()
        {
            TaskStateSegment* tss = TaskState;
            tss->IoMapBase = TaskStateSegment.Size;
            fixed (Table* table = &s_table)
            {
                table->KernelCode = KernelCode64;
                table->KernelData = KernelData;
                table->UserData = UserData;
                table->UserCode = UserCode64;
                SystemSegment((ulong)tss, TaskStateSegment.Size - 1, out table->TaskStateLow, out table->TaskStateHigh);

                DescriptorTablePointer pointer;
                pointer.Limit = (ushort)(sizeof(Table) - 1);
                pointer.Base = (ulong)table;
                Cpu.LoadGdt(&pointer, KernelCodeSelector, KernelDataSelector);
            }
            Cpu.LoadTaskRegister(TaskStateSelector);
        }

        // Encodes a 16-byte system-segment descriptor (the TSS) for `baseAddress` and `limit`.
        private static void SystemSegment(ulong baseAddress, ulong limit, out ulong low, out ulong high)
        {
            low = (limit & 0xFFFF)
                | (baseAddress & 0xFFFFFF) << 16
                | TssAvailablePresent << 40
                | ((limit >> 16) & 0xF) << 48
                | ((baseAddress >> 24) & 0xFF) << 56;
            high = baseAddress >> 32;
        }
    }
}
