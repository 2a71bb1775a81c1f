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

# void cpu_outl(ushort port, uint value)
        .globl cpu_outl
cpu_outl:
        mov     edx, edi
        mov     eax, esi
        out     dx, eax
        ret

# void cpu_halt_forever(void): interrupts off, stop.
        .globl cpu_halt_forever
cpu_halt_forever:
        cli
1:      hlt
        jmp     1b

        .section .note.GNU-stack, "", @progbits
