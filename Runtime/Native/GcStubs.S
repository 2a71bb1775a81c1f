# Entry points of the garbage collector whose contract C# cannot express.
        .intel_syntax noprefix
        .text

# void cowbird_gc_collect_here(void)
# Pushes the callee-saved registers, so that references held only in them are
# on the stack the collector scans, then calls cowbird_gc_collect_from(rsp).
# (Caller-saved registers hold no live references across this call.)
        .globl cowbird_gc_collect_here
        .type cowbird_gc_collect_here, @function
cowbird_gc_collect_here:
        push    rbp
        mov     rbp, rsp
        push    rbx
        push    r12
        push    r13
        push    r14
        push    r15
        sub     rsp, 8                  # keep rsp 16-byte aligned at the call
        mov     rdi, rsp
        call    cowbird_gc_collect_from
        add     rsp, 8
        pop     r15
        pop     r14
        pop     r13
        pop     r12
        pop     rbx
        pop     rbp
        ret
        .size cowbird_gc_collect_here, . - cowbird_gc_collect_here

# byte* kernel_heap_grow(ulong minimumBytes, ulong preferredBytes, bool mayReclaim,
#                        ulong* grantedBytes)
# Default (weak) version: the kernel has no more memory to give, so the heap
# cannot grow. The kernel overrides it with a [RuntimeExport("kernel_heap_grow")]
# method once it has a page allocator; that method returns the start of a
# page-aligned, mapped, otherwise unused region of *grantedBytes bytes, between
# minimumBytes and preferredBytes, or null. mayReclaim says whether it may free
# user pages for it (false inside an allocation, where an operation is half done).
        .weak kernel_heap_grow
        .type kernel_heap_grow, @function
kernel_heap_grow:
        xor     eax, eax
        ret
        .size kernel_heap_grow, . - kernel_heap_grow

# void kernel_heap_release(byte* start, ulong bytes)
# Takes back a region kernel_heap_grow returned (the heap no longer uses it).
# Default (weak) version: nothing to do, since the default never grows the heap.
        .weak kernel_heap_release
        .type kernel_heap_release, @function
kernel_heap_release:
        ret
        .size kernel_heap_release, . - kernel_heap_release

        .section .note.GNU-stack, "", @progbits
