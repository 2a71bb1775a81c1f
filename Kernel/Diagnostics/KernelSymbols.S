# Gives C# the address of the kernel's symbol table (`kallsyms_table`, in the
# .kallsyms section that Kernel/Build/kallsyms.sh generates; see KernelSymbols.cs).
        .intel_syntax noprefix
        .text
        .globl kallsyms_table_address
kallsyms_table_address:
        lea     rax, [rip + kallsyms_table]
        ret

        .section .note.GNU-stack, "", @progbits
