# Interrupt and exception entry: one small stub per IDT vector (0..255), all
# ending in trap_common, which builds a TrapFrame and calls the C# dispatcher
# Interrupts.Dispatch (`trap_dispatch`).
#
# On entry the CPU has pushed (on the current stack, or on the IST stack the
# gate names): ss, rsp, rflags, cs, rip, and for some exceptions an error code.
# Each stub pushes a 0 where the CPU pushes no error code, so every frame has
# the same shape, then the vector number. trap_common pushes the 15 general
# registers; the result is exactly `struct TrapFrame` (TrapFrame.cs), lowest
# address first:
#
#   r15 r14 r13 r12 r11 r10 r9 r8 rbp rdi rsi rdx rcx rbx rax
#   vector errorCode rip cs rflags rsp ss
#
# The SSE registers are saved too (fxsave): C# code uses xmm registers for
# struct copies, so an interrupt must not clobber the code it interrupts.
# Coming from user mode (a later issue) this is where swapgs will go.
        .intel_syntax noprefix
        .altmacro
        .text

# Vectors for which the CPU pushes an error code (Intel SDM vol. 3, table 6-1).
.macro trap_entry vector
        .balign 16
trap_entry_\vector:
.if !((\vector == 8) || ((\vector >= 10) && (\vector <= 14)) || (\vector == 17) || (\vector == 21) || (\vector == 29) || (\vector == 30))
        push    0
.endif
        push    \vector
        jmp     trap_common
.endm

.macro trap_table_entry vector
        .quad   trap_entry_\vector
.endm

        .set    vector, 0
.rept 256
        trap_entry %vector
        .set    vector, vector + 1
.endr

        .set    FXSAVE_AREA_SIZE, 512

trap_common:
        push    rax
        push    rbx
        push    rcx
        push    rdx
        push    rsi
        push    rdi
        push    rbp
        push    r8
        push    r9
        push    r10
        push    r11
        push    r12
        push    r13
        push    r14
        push    r15
        mov     rbx, rsp                                # rbx = TrapFrame* (callee-saved)
        sub     rsp, FXSAVE_AREA_SIZE
        and     rsp, -16                                # fxsave needs 16-byte alignment
        fxsave  [rsp]
        cld                                             # the SysV ABI expects DF = 0
        mov     rdi, rbx
        call    trap_dispatch
        fxrstor [rsp]
        mov     rsp, rbx
        pop     r15
        pop     r14
        pop     r13
        pop     r12
        pop     r11
        pop     r10
        pop     r9
        pop     r8
        pop     rbp
        pop     rdi
        pop     rsi
        pop     rdx
        pop     rcx
        pop     rbx
        pop     rax
        add     rsp, 16                                 # vector and error code
        iretq

# void** trap_entry_table_address(void): the 256 stub addresses, by vector (Idt.cs).
        .globl trap_entry_table_address
trap_entry_table_address:
        lea     rax, [rip + trap_entry_table]
        ret

        .section .rodata
        .balign 8
trap_entry_table:
        .set    vector, 0
.rept 256
        trap_table_entry %vector
        .set    vector, vector + 1
.endr

        .section .note.GNU-stack, "", @progbits
