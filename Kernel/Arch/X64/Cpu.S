# Privileged instructions C# cannot express, as plain SysV functions.
# C# reaches them through [RuntimeImport] declarations in Cpu.cs.
        .intel_syntax noprefix
        .text

# void cpu_outb(ushort port, byte value)
        .globl cpu_outb
cpu_outb:
        mov     edx, edi
        mov     eax, esi
        out     dx, al
        ret

# byte cpu_inb(ushort port)
        .globl cpu_inb
cpu_inb:
        mov     edx, edi
        xor     eax, eax
        in      al, dx
        ret

# uint cpu_inl(ushort port)
        .globl cpu_inl
cpu_inl:
        mov     edx, edi
        in      eax, dx
        ret

# uint cpu_mmio_read32(uint* address): one 32-bit load the compiler cannot merge,
# reorder or hoist out of a polling loop (a device register).
        .globl cpu_mmio_read32
cpu_mmio_read32:
        mov     eax, [rdi]
        ret

# void cpu_mmio_write32(uint* address, uint value): one 32-bit store to a device register.
        .globl cpu_mmio_write32
cpu_mmio_write32:
        mov     [rdi], esi
        ret

# void cpu_outl(ushort port, uint value)
        .globl cpu_outl
cpu_outl:
        mov     edx, edi
        mov     eax, esi
        out     dx, eax
        ret

# void cpu_in_words(ushort port, ushort* buffer, ulong count): rep insw,
# `count` 16-bit reads from one port (an ATA disk's data register).
        .globl cpu_in_words
cpu_in_words:
        mov     rcx, rdx
        mov     edx, edi
        mov     rdi, rsi
        cld
        rep insw
        ret

# void cpu_out_words(ushort port, ushort* buffer, ulong count): rep outsw.
        .globl cpu_out_words
cpu_out_words:
        mov     rcx, rdx
        mov     edx, edi
        cld
        rep outsw
        ret

# void cpu_in_dwords(ushort port, uint* buffer, ulong count): rep insd, `count`
# 32-bit reads from one port (an ATA data register on a controller with 32-bit PIO:
# half the port accesses of insw).
        .globl cpu_in_dwords
cpu_in_dwords:
        mov     rcx, rdx
        mov     edx, edi
        mov     rdi, rsi
        cld
        rep insd
        ret

# void cpu_out_dwords(ushort port, uint* buffer, ulong count): rep outsd.
        .globl cpu_out_dwords
cpu_out_dwords:
        mov     rcx, rdx
        mov     edx, edi
        cld
        rep outsd
        ret

# ulong cpu_save_flags_disable_interrupts(void): rflags as it was, then cli.
        .globl cpu_save_flags_disable_interrupts
cpu_save_flags_disable_interrupts:
        pushfq
        pop     rax
        cli
        ret

# void cpu_restore_flags(ulong rflags): puts back what the call above returned
# (interrupts on again only if they were on before).
        .globl cpu_restore_flags
cpu_restore_flags:
        push    rdi
        popfq
        ret

# void cpu_load_gdt(void* pointer, ushort codeSelector, ushort dataSelector):
# lgdt, then reload every segment register so none keeps a stale descriptor.
        .globl cpu_load_gdt
cpu_load_gdt:
        lgdt    [rdi]
        mov     ds, edx
        mov     es, edx
        mov     ss, edx
        xor     eax, eax
        mov     fs, eax
        mov     gs, eax
        pop     rax                                     # return address
        push    rsi                                     # new CS ...
        push    rax                                     # ... and where to continue
        retfq

# void cpu_load_task_register(ushort selector)
        .globl cpu_load_task_register
cpu_load_task_register:
        ltr     di
        ret

# void cpu_load_idt(void* pointer)
        .globl cpu_load_idt
cpu_load_idt:
        lidt    [rdi]
        ret

# ulong cpu_read_cr2(void): the address of the last page fault.
        .globl cpu_read_cr2
cpu_read_cr2:
        mov     rax, cr2
        ret

# ulong cpu_read_cr0(void): the control register with WP (write protect) and PG.
        .globl cpu_read_cr0
cpu_read_cr0:
        mov     rax, cr0
        ret

# ulong cpu_read_cr4(void): the control register with the SMEP and SMAP switches.
        .globl cpu_read_cr4
cpu_read_cr4:
        mov     rax, cr4
        ret

# void cpu_write_cr4(ulong value)
        .globl cpu_write_cr4
cpu_write_cr4:
        mov     cr4, rdi
        ret

# ulong cpu_read_cr3(void): physical address of the top-level page table.
        .globl cpu_read_cr3
cpu_read_cr3:
        mov     rax, cr3
        ret

# void cpu_invalidate_page(ulong virtualAddress): drop one TLB entry.
        .globl cpu_invalidate_page
cpu_invalidate_page:
        invlpg  [rdi]
        ret

# void cpu_enable_interrupts(void)
        .globl cpu_enable_interrupts
cpu_enable_interrupts:
        sti
        ret

# void cpu_disable_interrupts(void)
        .globl cpu_disable_interrupts
cpu_disable_interrupts:
        cli
        ret

# void cpu_wait_for_interrupt(void): enable interrupts and sleep until one
# arrives. `sti` takes effect after the next instruction, so no interrupt can
# slip in between the two and leave hlt sleeping.
        .globl cpu_wait_for_interrupt
cpu_wait_for_interrupt:
        sti
        hlt
        ret

# ulong cpu_frame_pointer(void): the caller's rbp (start of a frame-pointer walk).
        .globl cpu_frame_pointer
cpu_frame_pointer:
        mov     rax, rbp
        ret

# void cpu_cpuid(uint leaf, uint* registers): registers[0..3] = eax, ebx, ecx, edx.
        .globl cpu_cpuid
cpu_cpuid:
        push    rbx
        mov     eax, edi
        xor     ecx, ecx
        cpuid
        mov     [rsi], eax
        mov     [rsi + 4], ebx
        mov     [rsi + 8], ecx
        mov     [rsi + 12], edx
        pop     rbx
        ret

# int cpu_rdrand(ulong* value): one RDRAND; 1 with *value set when the CPU had a number
# ready (carry set), 0 when it had none this time.
        .globl cpu_rdrand
cpu_rdrand:
        rdrand  rax
        jnc     1f
        mov     [rdi], rax
        mov     eax, 1
        ret
1:      xor     eax, eax
        ret

# void cpu_halt_forever(void): interrupts off, stop.
        .globl cpu_halt_forever
cpu_halt_forever:
        cli
1:      hlt
        jmp     1b

# void cpu_fxsave(byte* image): the x87, MMX and SSE registers into the 512-byte,
# 16-byte aligned `image`.
        .globl cpu_fxsave
cpu_fxsave:
        fxsave  [rdi]
        ret

# void cpu_fxrstor_keep_kernel_mxcsr(byte* image): loads the registers from a
# process's fxsave image, then gives MXCSR back its kernel value (kernel_mxcsr),
# since kernel code runs on after this and must not take #XM for the program's mask.
        .globl cpu_fxrstor_keep_kernel_mxcsr
cpu_fxrstor_keep_kernel_mxcsr:
        fxrstor [rdi]
        ldmxcsr [rip + kernel_mxcsr]
        ret

        .section .note.GNU-stack, "", @progbits

