# Interface dispatch stubs (see Runtime/Cowbird/Runtime/Dispatch/InterfaceDispatch.cs).
#
# An interface call that ILC could not devirtualise is `lea r11, [cell]; call [r11]`:
# r11 = the 16-byte dispatch cell {stub, cache}, rdi = `this`, the other
# arguments in their SysV places (rsi, rdx, rcx, r8, r9, xmm0-7, then the stack).
# Both stubs end in a tail jump to the implementation, so it returns straight
# to the call site and finds its stack arguments where the caller put them.
# rax, r10 and r11 are scratch at this point of a call.
        .intel_syntax noprefix
        .text

# The cell's first stub, and the miss path of the cached stub: resolve through
# the C# resolver, which also (re)fills the cell's cache block.
        .globl RhpInitialDynamicInterfaceDispatch
        .type RhpInitialDynamicInterfaceDispatch, @function
RhpInitialDynamicInterfaceDispatch:
        test    rdi, rdi
        jz      1f
        pushfq                          # the resolver runs with interrupts off:
        cli                             # it rewrites the cell and its cache block
        push    rdi
        push    rsi
        push    rdx
        push    rcx
        push    r8
        push    r9
        sub     rsp, 128                # xmm0-7 (entry rsp = 8 mod 16; 8 + 8 + 48 + 128 = 192)
        movdqu  [rsp + 0], xmm0
        movdqu  [rsp + 16], xmm1
        movdqu  [rsp + 32], xmm2
        movdqu  [rsp + 48], xmm3
        movdqu  [rsp + 64], xmm4
        movdqu  [rsp + 80], xmm5
        movdqu  [rsp + 96], xmm6
        movdqu  [rsp + 112], xmm7
        mov     rsi, r11                # cowbird_resolve_interface(this, cell) -> target
        call    cowbird_resolve_interface
        movdqu  xmm0, [rsp + 0]
        movdqu  xmm1, [rsp + 16]
        movdqu  xmm2, [rsp + 32]
        movdqu  xmm3, [rsp + 48]
        movdqu  xmm4, [rsp + 64]
        movdqu  xmm5, [rsp + 80]
        movdqu  xmm6, [rsp + 96]
        movdqu  xmm7, [rsp + 112]
        add     rsp, 128
        pop     r9
        pop     r8
        pop     rcx
        pop     rdx
        pop     rsi
        pop     rdi
        popfq
        jmp     rax
1:      sub     rsp, 8                          # entry rsp = 8 mod 16: align for the call,
        call    cowbird_dispatch_on_null        # which panics; the return address names the caller
        ud2
        .size RhpInitialDynamicInterfaceDispatch, . - RhpInitialDynamicInterfaceDispatch

# A resolved cell: [r11 + 8] is a cache block {interface, slot, type, target}.
# Same type as last time: jump to its target; otherwise resolve again.
        .globl cowbird_interface_dispatch_cached
        .type cowbird_interface_dispatch_cached, @function
cowbird_interface_dispatch_cached:
        test    rdi, rdi                # null `this`: the slow path panics clearly
        jz      RhpInitialDynamicInterfaceDispatch
        mov     r10, [r11 + 8]
        mov     rax, [rdi]
        cmp     rax, [r10 + 16]
        jne     RhpInitialDynamicInterfaceDispatch
        jmp     [r10 + 24]
        .size cowbird_interface_dispatch_cached, . - cowbird_interface_dispatch_cached

# void* cowbird_interface_dispatch_cached_address(void): for the resolver to install.
        .globl cowbird_interface_dispatch_cached_address
        .type cowbird_interface_dispatch_cached_address, @function
cowbird_interface_dispatch_cached_address:
        lea     rax, [rip + cowbird_interface_dispatch_cached]
        ret
        .size cowbird_interface_dispatch_cached_address, . - cowbird_interface_dispatch_cached_address

# DispatchCell* cowbird_dispatch_cells_start(void): the first cell ILC emitted.
        .globl cowbird_dispatch_cells_start
        .type cowbird_dispatch_cells_start, @function
cowbird_dispatch_cells_start:
        lea     rax, [rip + __InterfaceDispatchCellSection_Start]
        ret
        .size cowbird_dispatch_cells_start, . - cowbird_dispatch_cells_start

# void* cowbird_initial_dispatch_address(void): the stub every cell starts with.
        .globl cowbird_initial_dispatch_address
        .type cowbird_initial_dispatch_address, @function
cowbird_initial_dispatch_address:
        lea     rax, [rip + RhpInitialDynamicInterfaceDispatch]
        ret
        .size cowbird_initial_dispatch_address, . - cowbird_initial_dispatch_address

        .section .note.GNU-stack, "", @progbits
