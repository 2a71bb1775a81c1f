# The ways between user mode (ring 3) and the kernel that are not interrupts,
# and the switch between two processes' kernel stacks:
#
#   syscall_entry      the `syscall` instruction lands here (MSR LSTAR). It
#                      swaps GS to the per-CPU block (PerCpu.cs), moves to the
#                      process's kernel stack and builds the same TrapFrame an
#                      interrupt builds (vector = SYSCALL_VECTOR), so C#
#                      (SyscallDispatcher) sees one frame layout everywhere.
#                      It returns with sysret, or with iretq when the frame's
#                      rip is not a user address (sysret with a non-canonical
#                      rcx faults in ring 0 on Intel CPUs: CVE-2012-0217) or
#                      its rcx/r11 are not rip/rflags (after rt_sigreturn).
#   context_switch     saves the callee-saved registers and rsp of the running
#                      kernel stack and resumes another one.
#   process_first_run  where a new process's kernel stack "returns" to the
#                      first time: restores its whole fxsave image (x87 and
#                      SSE) and its TrapFrame and enters ring 3 with iretq.
#
# Per-CPU block (gs:0 in the kernel): [0] kernel stack top of the running
# process, [8] scratch for the user rsp during syscall entry.
        .intel_syntax noprefix
        .include "TrapFrame.inc"
        .text

        .set    PERCPU_KERNEL_RSP, 0
        .set    PERCPU_USER_RSP, 8
        .set    USER_DATA_SELECTOR, 0x1B
        .set    USER_CODE_SELECTOR, 0x23
        .set    SYSCALL_VECTOR, 0x100                   # not an IDT vector (TrapFrame.cs)

        .globl syscall_entry
syscall_entry:
        swapgs
        mov     gs:[PERCPU_USER_RSP], rsp
        mov     rsp, gs:[PERCPU_KERNEL_RSP]
        push    USER_DATA_SELECTOR                      # ss
        push    QWORD PTR gs:[PERCPU_USER_RSP]          # rsp
        push    r11                                     # rflags (syscall saved them in r11)
        push    USER_CODE_SELECTOR                      # cs
        push    rcx                                     # rip (syscall saved it in rcx)
        push    0                                       # error code
        push    SYSCALL_VECTOR
        PUSH_GPRS
        mov     rbx, rsp                                # rbx = TrapFrame*
        sub     rsp, FXSAVE_AREA_SIZE
        and     rsp, -16
        SAVE_SSE
        ldmxcsr [rip + kernel_mxcsr]                    # as trap_common: the kernel's SSE mask
        cld
        mov     rdi, rbx
        call    syscall_dispatch
        RESTORE_SSE
        mov     rsp, rbx
        POP_GPRS
        add     rsp, 16                                 # vector, error code
        # [rsp] = rip, cs, rflags, rsp, ss. sysret loads rip from rcx and rflags from r11:
        # only when the frame's rcx and r11 are those (rt_sigreturn restores other values
        # for all registers), and only to a user address.
        cmp     rcx, [rsp]
        jne     2f
        cmp     r11, [rsp + 16]
        jne     2f
        shr     rcx, 47
        jnz     1f
        mov     rcx, [rsp]
        mov     rsp, [rsp + 24]
        swapgs
        sysretq
1:      mov     rcx, [rsp]
2:      swapgs
        iretq

# void context_switch(ulong* saveRsp, ulong newRsp)
        .globl context_switch
context_switch:
        push    rbp
        push    rbx
        push    r12
        push    r13
        push    r14
        push    r15
        mov     [rdi], rsp
        mov     rsp, rsi
        pop     r15
        pop     r14
        pop     r13
        pop     r12
        pop     rbx
        pop     rbp
        ret

# First return of a new process: rsp = its fxsave image, the TrapFrame above it.
        .globl process_first_run
process_first_run:
        fxrstor [rsp]
        add     rsp, FXSAVE_AREA_SIZE
        POP_GPRS
        add     rsp, 16
        swapgs
        iretq

# ulong process_first_run_address(void)
        .globl process_first_run_address
process_first_run_address:
        lea     rax, [rip + process_first_run]
        ret

# ulong syscall_entry_address(void)
        .globl syscall_entry_address
syscall_entry_address:
        lea     rax, [rip + syscall_entry]
        ret

# ulong cpu_read_msr(uint msr)
        .globl cpu_read_msr
cpu_read_msr:
        mov     ecx, edi
        rdmsr
        shl     rdx, 32
        or      rax, rdx
        ret

# void cpu_write_msr(uint msr, ulong value)
        .globl cpu_write_msr
cpu_write_msr:
        mov     ecx, edi
        mov     eax, esi
        mov     rdx, rsi
        shr     rdx, 32
        wrmsr
        ret

# void cpu_write_cr3(ulong pml4)
        .globl cpu_write_cr3
cpu_write_cr3:
        mov     cr3, rdi
        ret

# ulong cpu_read_tsc(void)
        .globl cpu_read_tsc
cpu_read_tsc:
        rdtsc
        shl     rdx, 32
        or      rax, rdx
        ret

# ulong __kernel_end_address(void): end of the kernel image including .bss (linker.ld).
        .globl __kernel_end_address
__kernel_end_address:
        lea     rax, [rip + __kernel_end]
        ret

        .section .note.GNU-stack, "", @progbits
