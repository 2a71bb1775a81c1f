# Interrupt and exception entry: one small stub per IDT vector (0..255), all
# ending in trap_common, which builds a TrapFrame and calls the C# dispatcher
# Interrupts.Dispatch (`trap_dispatch`).
#
# On entry the CPU has pushed (on the current stack, or on the IST stack the
# gate names): ss, rsp, rflags, cs, rip, and for some exceptions an error code.
# Each stub pushes a 0 where the CPU pushes no error code, so every frame has
# the same shape, then the vector number. trap_common pushes the 15 general
# registers (PUSH_GPRS, TrapFrame.inc); the result is exactly `struct TrapFrame` (TrapFrame.cs), lowest
# address first:
#
#   r15 r14 r13 r12 r11 r10 r9 r8 rbp rdi rsi rdx rcx rbx rax
#   vector errorCode rip cs rflags rsp ss
#
# The SSE registers are saved too (SAVE_SSE, below the frame in fxsave's
# layout): C# code uses xmm registers for struct copies, so an interrupt must
# not clobber the code it interrupts. The x87 registers stay in the CPU: no
# kernel code uses them (FxSave.cs says who saves them). Then MXCSR is set to its reset value (kernel_mxcsr, all SSE exceptions
# masked): a user program may unmask them, and kernel code must never take
# #XM for that program's choice.
# Coming from user mode, swapgs makes GS the kernel's per-CPU block (and
# back on the way out), so in the kernel GS always holds it (UserEntry.S).
#
# Before the C# side is ready (runtime not initialised, Interrupts.Initialize
# not run yet), trap_dispatch cannot run: the boot stub loads an early IDT with
# the same stubs, and trap_common sends every trap to early_trap, which prints
# the vector and rip on COM1 in assembly and stops with the panic status. So
# even a fault while the runtime initialises is reported, not a triple fault.
        .intel_syntax noprefix
        .include "TrapFrame.inc"
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

        .set    RFLAGS_AC, 1 << 18                      # alignment check / SMAP override

trap_common:
        test    BYTE PTR [rsp + 24], 3                  # saved cs: from ring 3?
        jz      7f
        swapgs
        pushfq                                          # ring 3 may have set RFLAGS.AC, which a trap
        and     DWORD PTR [rsp], ~RFLAGS_AC             # keeps: clear it, or SMAP would not guard the
        popfq                                           # kernel (MemoryProtection.cs)
7:      PUSH_GPRS
        mov     rbx, rsp                                # rbx = TrapFrame* (callee-saved)
        sub     rsp, FXSAVE_AREA_SIZE
        and     rsp, -16                                # movaps needs 16-byte alignment
        SAVE_SSE
        ldmxcsr [rip + kernel_mxcsr]                    # the interrupted code's SSE exception
        cld                                             # mask is not the kernel's; DF = 0 (SysV)
        cmp     BYTE PTR [rip + trap_dispatch_ready], 0
        je      early_trap
        mov     rdi, rbx
        call    trap_dispatch
        RESTORE_SSE
        mov     rsp, rbx
        POP_GPRS
        add     rsp, 16                                 # vector and error code
        test    BYTE PTR [rsp + 8], 3                   # back to ring 3?
        jz      8f
        swapgs
8:      iretq

        .set    COM1, 0x3F8
        .set    COM1_LINE_STATUS, COM1 + 5
        .set    LINE_STATUS_TRANSMIT_EMPTY, 0x20
        .set    DEBUG_EXIT_PORT, 0xF4
        .set    EXIT_STATUS_PANIC, 0x12                 # ExitStatus.Panic (QemuDebugExit.cs)
        .set    FRAME_VECTOR, 15 * 8                    # TrapFrame offsets
        .set    FRAME_RIP, 17 * 8

# rbx = TrapFrame*. Reports "PANIC: early exception <vector> at <rip>" and stops.
early_trap:
        lea     rsi, [rip + early_trap_message]
        call    early_write_string
        mov     rax, [rbx + FRAME_VECTOR]
        call    early_write_hex
        lea     rsi, [rip + early_trap_at]
        call    early_write_string
        mov     rax, [rbx + FRAME_RIP]
        call    early_write_hex
        lea     rsi, [rip + early_trap_hint]
        call    early_write_string
        mov     dx, DEBUG_EXIT_PORT
        mov     eax, EXIT_STATUS_PANIC
        out     dx, eax
1:      cli
        hlt
        jmp     1b

# Writes the NUL-terminated string at rsi to COM1 (polled).
early_write_string:
        lodsb
        test    al, al
        jz      2f
        call    early_write_byte
        jmp     early_write_string
2:      ret

# Writes rax as 0x + 16 hex digits.
early_write_hex:
        mov     rdi, rax
        mov     al, '0'
        call    early_write_byte
        mov     al, 'x'
        call    early_write_byte
        mov     ecx, 16
3:      rol     rdi, 4
        mov     eax, edi
        and     eax, 0xF
        add     al, '0'
        cmp     al, '9'
        jbe     4f
        add     al, 'a' - '9' - 1
4:      call    early_write_byte
        dec     ecx
        jnz     3b
        ret

# Writes al to COM1 once the transmitter is empty. Keeps every register but rdx.
early_write_byte:
        push    rax
        mov     dx, COM1_LINE_STATUS
5:      in      al, dx
        test    al, LINE_STATUS_TRANSMIT_EMPTY
        jz      5b
        pop     rax
        mov     dx, COM1
        out     dx, al
        ret

# void trap_set_dispatch_ready(bool ready): from now on traps go to trap_dispatch
# (Interrupts.Initialize), or back to early_trap (a self-test of that path).
        .globl trap_set_dispatch_ready
trap_set_dispatch_ready:
        mov     [rip + trap_dispatch_ready], dil
        ret

# void install_early_idt(void): every vector -> its stub, interrupt gate, no IST
# (the boot stub calls this before the runtime starts; Idt.cs replaces it).
        .set    GDT_KERNEL_CODE, 0x08
        .set    INTERRUPT_GATE_PRESENT, 0x8E00          # type/attributes byte, IST 0
        .globl install_early_idt
install_early_idt:
        lea     rsi, [rip + trap_entry_table]
        lea     rdi, [rip + early_idt]
        xor     ecx, ecx
6:      mov     rax, [rsi + rcx * 8]
        mov     [rdi], ax                               # offset 15..0
        mov     WORD PTR [rdi + 2], GDT_KERNEL_CODE
        mov     WORD PTR [rdi + 4], INTERRUPT_GATE_PRESENT
        shr     rax, 16
        mov     [rdi + 6], ax                           # offset 31..16
        shr     rax, 16
        mov     [rdi + 8], eax                          # offset 63..32
        mov     DWORD PTR [rdi + 12], 0
        add     rdi, 16
        inc     ecx
        cmp     ecx, 256
        jb      6b
        lidt    [rip + early_idt_pointer]
        ret

# void** trap_entry_table_address(void): the 256 stub addresses, by vector (Idt.cs).
        .globl trap_entry_table_address
trap_entry_table_address:
        lea     rax, [rip + trap_entry_table]
        ret

        .section .rodata
early_trap_message:
        .asciz  "\r\nPANIC: early exception (before Interrupts.Initialize), vector "
early_trap_at:
        .asciz  " at "
early_trap_hint:
        .asciz  "\r\n  (no symbols yet: addr2line -f -e iso/kernel.elf <address>)\r\n"

        .balign 8
early_idt_pointer:
        .short  256 * 16 - 1
        .quad   early_idt

        .balign 8
trap_entry_table:
        .set    vector, 0
.rept 256
        trap_table_entry %vector
        .set    vector, vector + 1
.endr

        .section .rodata
        .balign 4
        .globl  kernel_mxcsr
kernel_mxcsr:                                           # MXCSR reset value: all SSE exceptions
        .long   0x1F80                                  # masked, round to nearest

        .data
trap_dispatch_ready:
        .byte   0

        .section .bss
        .balign 16
early_idt:
        .skip   256 * 16

        .section .note.GNU-stack, "", @progbits
