# Instructions (and one byte of data) the panic and interrupt self-tests need
# that C# cannot emit. Each function is a leaf that pushes nothing, so a fault
# report can find its C# caller at [rsp] (FaultReport.WriteFaultingMethod).
        .intel_syntax noprefix
        .text

# void selftest_invalid_opcode(void): ud2, the "undefined instruction".
        .globl selftest_invalid_opcode
        .type selftest_invalid_opcode, @function
selftest_invalid_opcode:
        ud2
        ret
        .size selftest_invalid_opcode, . - selftest_invalid_opcode

# void selftest_breakpoint(void): int3, as a debugger would plant it.
        .globl selftest_breakpoint
        .type selftest_breakpoint, @function
selftest_breakpoint:
        int3
        ret
        .size selftest_breakpoint, . - selftest_breakpoint

# void selftest_unexpected_vector(void): a software interrupt nobody handles.
        .globl selftest_unexpected_vector
        .type selftest_unexpected_vector, @function
selftest_unexpected_vector:
        int     0x41
        ret
        .size selftest_unexpected_vector, . - selftest_unexpected_vector

# ulong selftest_software_interrupt(void): int 0x42 with rax = 0; returns the
# rax the handler left in the trap frame.
        .globl selftest_software_interrupt
        .type selftest_software_interrupt, @function
selftest_software_interrupt:
        xor     eax, eax
        int     0x42
        ret
        .size selftest_software_interrupt, . - selftest_software_interrupt

# ulong selftest_data_code_address(void): the address of a `ret` instruction
# placed in .data, which W^X maps no-execute: calling it must fault.
        .globl selftest_data_code_address
        .type selftest_data_code_address, @function
selftest_data_code_address:
        lea     rax, [rip + selftest_data_code]
        ret
        .size selftest_data_code_address, . - selftest_data_code_address

        .data
selftest_data_code:
        .byte   0xC3                                    # ret

        .section .note.GNU-stack, "", @progbits
