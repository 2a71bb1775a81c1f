# Runtime entry points whose calling contract cannot be written in C#.
        .intel_syntax noprefix
        .text

# RhpByRefAssignRef: copy the reference at [rsi] to [rdi], then advance both
# by 8. ILC uses it inside struct copies; the kernel's mark-sweep collector needs no barrier.
        .globl RhpByRefAssignRef
        .type RhpByRefAssignRef, @function
RhpByRefAssignRef:
        mov     rcx, [rsi]
        mov     [rdi], rcx
        add     rdi, 8
        add     rsi, 8
        ret
        .size RhpByRefAssignRef, . - RhpByRefAssignRef

# Stack-cookie value checked by methods that use stackalloc.
        .data
        .balign 8
        .globl __security_cookie
__security_cookie:
        .quad 0x2B992DDFA232C0DE

        .section .note.GNU-stack, "", @progbits
