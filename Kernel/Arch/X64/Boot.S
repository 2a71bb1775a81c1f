# Cowbird boot stub: from the boot loader's 32-bit protected mode to the C# kernel.
#
#   1. Multiboot headers: v1 for QEMU -kernel (with the a.out-kludge address
#      fields, because QEMU refuses ELF64 otherwise), v2 for GRUB (multiboot2).
#   2. boot_entry (32-bit, paging off, running at physical addresses): check the
#      CPU has long mode, build the boot page tables, enable PAE, long mode,
#      paging, SSE; load a 64-bit GDT; far-jump to 64-bit code.
#   3. higher_half_entry (64-bit, at the linked virtual address): drop the
#      identity mapping (so a null dereference faults), switch to the boot
#      stack, initialise the C# runtime, call kmain(magic, info).
#
# The kernel is linked at KERNEL_VIRTUAL_BASE + 1 MiB and loaded at 1 MiB, so
# before paging every address is written `symbol - KERNEL_VIRTUAL_BASE`.
#
# Boot page tables (all in .bss, zeroed by the loader):
#   PML4[0]   -> PDPT_low[0]    -> PD_identity: 0..1 GiB identity, 2 MiB pages
#                (only needed for the instructions right after paging is on;
#                removed again in higher_half_entry)
#   PML4[256] -> PDPT_direct[0..3] -> PD_direct: the direct map, physical
#                0..4 GiB at DIRECT_MAP_BASE in 2 MiB pages, no-execute. Every
#                Multiboot pointer is 32-bit, so the C# code can read all boot
#                information through it; DirectMap.cs extends it to all RAM.
#   PML4[511] -> PDPT_high[510] -> PD_kernel:   KERNEL_VIRTUAL_BASE + 0..1 GiB
#                -> physical 0..1 GiB; the first 32 MiB in 4 KiB pages so the
#                kernel stacks can have unmapped guard pages below them.

        .intel_syntax noprefix

        .set KERNEL_VIRTUAL_BASE,   0xFFFFFFFF80000000
        .set DIRECT_MAP_PML4_INDEX, 256         # 0xFFFF800000000000 (KernelLayout.DirectMapBase)
        .set BOOT_DIRECT_MAP_GIB,   4

        .set MB1_MAGIC,             0x1BADB002
        .set MB1_PAGE_ALIGN,        1 << 0      # modules page-aligned
        .set MB1_MEMORY_INFO,       1 << 1      # pass mem_lower/upper and the memory map
        .set MB1_ADDRESS_FIELDS,    1 << 16     # "a.out kludge": use the addresses below
        .set MB1_FLAGS,             MB1_PAGE_ALIGN | MB1_MEMORY_INFO | MB1_ADDRESS_FIELDS

        .set MB2_MAGIC,             0xE85250D6
        .set MB2_ARCH_I386,         0
        .set MB2_TAG_END,           0
        .set MB2_TAG_ENTRY_ADDRESS, 3

        .set PTE_PRESENT,           1 << 0
        .set PTE_WRITABLE,          1 << 1
        .set PTE_PAGE_SIZE,         1 << 7      # 2 MiB page in a PD entry
        .set PTE_NO_EXECUTE_HIGH,   1 << 31     # bit 63, in the entry's high dword
        .set PAGE_SHIFT,            12
        .set LARGE_PAGE_SHIFT,      21
        .set ENTRIES_PER_TABLE,     512
        .set BOOT_SMALL_PAGE_TABLES, 16         # 16 x 2 MiB = 32 MiB mapped with 4 KiB pages

        .set CR0_PE,                1 << 0
        .set CR0_MP,                1 << 1      # monitor coprocessor: needed for SSE
        .set CR0_EM,                1 << 2      # x87 emulation: must be clear for SSE
        .set CR0_WP,                1 << 16     # honour read-only pages in ring 0
        .set CR0_PG,                1 << 31
        .set CR4_PAE,               1 << 5
        .set CR4_OSFXSR,            1 << 9      # SSE + fxsave
        .set CR4_OSXMMEXCPT,        1 << 10     # SSE exceptions raise #XM
        .set MSR_EFER,              0xC0000080
        .set EFER_LME,              1 << 8      # long mode enable
        .set EFER_NXE,              1 << 11     # allow the no-execute PTE bit

        .set CPUID_EXTENDED_MAX,    0x80000000
        .set CPUID_EXTENDED_FEATURES, 0x80000001
        .set CPUID_LONG_MODE,       1 << 29

        .set GDT_KERNEL_CODE,       0x08
        .set GDT_KERNEL_DATA,       0x10

        .set COM1,                  0x3F8
        .set PAGE_SIZE,             4096
        .set BOOT_STACK_SIZE,       64 * 1024
        .set IST_STACK_COUNT,       3           # double fault, NMI, machine check (KernelStacks.cs)
        .set IST_STACK_SIZE,        16 * 1024
        .set BOOT_HEAP_SIZE,        8 * 1024 * 1024

# ---------------------------------------------------------------- headers
        .section .multiboot, "a"
        .balign 8
mb1_header:
        .long MB1_MAGIC
        .long MB1_FLAGS
        .long -(MB1_MAGIC + MB1_FLAGS)
        .long mb1_header - KERNEL_VIRTUAL_BASE          # header_addr
        .long __kernel_start - KERNEL_VIRTUAL_BASE      # load_addr
        .long __load_end - KERNEL_VIRTUAL_BASE          # load_end_addr
        .long __kernel_end - KERNEL_VIRTUAL_BASE        # bss_end_addr
        .long boot_entry - KERNEL_VIRTUAL_BASE          # entry_addr

        .balign 8
mb2_header:
        .long MB2_MAGIC
        .long MB2_ARCH_I386
        .long mb2_header_end - mb2_header
        .long -(MB2_MAGIC + MB2_ARCH_I386 + (mb2_header_end - mb2_header))
        .balign 8
        .short MB2_TAG_ENTRY_ADDRESS, 0
        .long 12
        .long boot_entry - KERNEL_VIRTUAL_BASE
        .balign 8
        .short MB2_TAG_END, 0
        .long 8
mb2_header_end:

# ---------------------------------------------------------------- 32-bit entry
        .section .boot.text, "ax"
        .code32
        .globl boot_entry
# In: eax = multiboot magic, ebx = physical address of the multiboot info.
# Keeps them in edi/esi (the first two SysV arguments of kmain) throughout.
boot_entry:
        cli
        cld
        mov     edi, eax
        mov     esi, ebx
        mov     esp, OFFSET boot_stack_top - KERNEL_VIRTUAL_BASE

        mov     eax, CPUID_EXTENDED_MAX
        cpuid
        cmp     eax, CPUID_EXTENDED_FEATURES
        jb      no_long_mode
        mov     eax, CPUID_EXTENDED_FEATURES
        cpuid
        test    edx, CPUID_LONG_MODE
        jz      no_long_mode

        call    build_boot_page_tables

        mov     eax, OFFSET boot_pml4 - KERNEL_VIRTUAL_BASE
        mov     cr3, eax
        mov     eax, cr4
        or      eax, CR4_PAE | CR4_OSFXSR | CR4_OSXMMEXCPT
        mov     cr4, eax
        mov     ecx, MSR_EFER
        rdmsr
        or      eax, EFER_LME | EFER_NXE
        wrmsr
        mov     eax, cr0
        and     eax, ~CR0_EM
        or      eax, CR0_PE | CR0_MP | CR0_WP | CR0_PG
        mov     cr0, eax

        lgdt    [gdt_pointer_physical - KERNEL_VIRTUAL_BASE]
        push    GDT_KERNEL_CODE
        push    OFFSET long_mode_entry - KERNEL_VIRTUAL_BASE
        retf                                            # far return = jump into 64-bit code

# Fills the boot page tables described at the top of this file.
build_boot_page_tables:
        mov     eax, OFFSET boot_pdpt_low - KERNEL_VIRTUAL_BASE + (PTE_PRESENT | PTE_WRITABLE)
        mov     [boot_pml4 - KERNEL_VIRTUAL_BASE], eax
        mov     eax, OFFSET boot_pdpt_high - KERNEL_VIRTUAL_BASE + (PTE_PRESENT | PTE_WRITABLE)
        mov     [boot_pml4 - KERNEL_VIRTUAL_BASE + 511 * 8], eax
        mov     eax, OFFSET boot_pd_identity - KERNEL_VIRTUAL_BASE + (PTE_PRESENT | PTE_WRITABLE)
        mov     [boot_pdpt_low - KERNEL_VIRTUAL_BASE], eax
        mov     eax, OFFSET boot_pd_kernel - KERNEL_VIRTUAL_BASE + (PTE_PRESENT | PTE_WRITABLE)
        mov     [boot_pdpt_high - KERNEL_VIRTUAL_BASE + 510 * 8], eax

        xor     ecx, ecx                                # ecx = PD index = 2 MiB region number
1:      mov     eax, ecx
        shl     eax, LARGE_PAGE_SHIFT
        or      eax, PTE_PRESENT | PTE_WRITABLE | PTE_PAGE_SIZE
        mov     [boot_pd_identity - KERNEL_VIRTUAL_BASE + ecx * 8], eax
        cmp     ecx, BOOT_SMALL_PAGE_TABLES
        jb      2f
        mov     [boot_pd_kernel - KERNEL_VIRTUAL_BASE + ecx * 8], eax
        jmp     3f
2:      mov     eax, ecx
        shl     eax, PAGE_SHIFT
        add     eax, OFFSET boot_pt_kernel - KERNEL_VIRTUAL_BASE + (PTE_PRESENT | PTE_WRITABLE)
        mov     [boot_pd_kernel - KERNEL_VIRTUAL_BASE + ecx * 8], eax
3:      inc     ecx
        cmp     ecx, ENTRIES_PER_TABLE
        jb      1b

        xor     ecx, ecx                                # ecx = 4 KiB page number
4:      mov     eax, ecx
        shl     eax, PAGE_SHIFT
        or      eax, PTE_PRESENT | PTE_WRITABLE
        mov     [boot_pt_kernel - KERNEL_VIRTUAL_BASE + ecx * 8], eax
        inc     ecx
        cmp     ecx, BOOT_SMALL_PAGE_TABLES * ENTRIES_PER_TABLE
        jb      4b

        mov     eax, OFFSET boot_stack_guard - KERNEL_VIRTUAL_BASE
        shr     eax, PAGE_SHIFT
        mov     DWORD PTR [boot_pt_kernel - KERNEL_VIRTUAL_BASE + eax * 8], 0

        # The direct map: PML4[256] -> PDPT_direct; PDPT_direct[g] -> PD_direct page g.
        mov     eax, OFFSET boot_pdpt_direct - KERNEL_VIRTUAL_BASE + (PTE_PRESENT | PTE_WRITABLE)
        mov     [boot_pml4 - KERNEL_VIRTUAL_BASE + DIRECT_MAP_PML4_INDEX * 8], eax
        xor     ecx, ecx                                # ecx = GiB number
5:      mov     eax, ecx
        shl     eax, PAGE_SHIFT
        add     eax, OFFSET boot_pd_direct - KERNEL_VIRTUAL_BASE + (PTE_PRESENT | PTE_WRITABLE)
        mov     [boot_pdpt_direct - KERNEL_VIRTUAL_BASE + ecx * 8], eax
        inc     ecx
        cmp     ecx, BOOT_DIRECT_MAP_GIB
        jb      5b
        xor     ecx, ecx                                # ecx = 2 MiB page number, 0..2047
6:      mov     eax, ecx
        shl     eax, LARGE_PAGE_SHIFT
        or      eax, PTE_PRESENT | PTE_WRITABLE | PTE_PAGE_SIZE
        mov     [boot_pd_direct - KERNEL_VIRTUAL_BASE + ecx * 8], eax
        mov     DWORD PTR [boot_pd_direct - KERNEL_VIRTUAL_BASE + ecx * 8 + 4], PTE_NO_EXECUTE_HIGH
        inc     ecx
        cmp     ecx, BOOT_DIRECT_MAP_GIB * ENTRIES_PER_TABLE
        jb      6b
        ret

# Prints why we cannot boot on COM1 and stops.
no_long_mode:
        mov     esi, OFFSET no_long_mode_message - KERNEL_VIRTUAL_BASE
        mov     dx, COM1
7:      lodsb
        test    al, al
        jz      8f
        out     dx, al
        jmp     7b
8:      hlt
        jmp     8b

# ---------------------------------------------------------------- 64-bit entry
        .code64
# Still executing at the identity-mapped physical address: go to the higher half.
long_mode_entry:
        mov     ax, GDT_KERNEL_DATA
        mov     ds, ax
        mov     es, ax
        mov     ss, ax
        xor     eax, eax
        mov     fs, ax
        mov     gs, ax
        movabs  rax, OFFSET higher_half_entry
        jmp     rax

        .text
higher_half_entry:
        lgdt    [rip + gdt_pointer_virtual]              # GDT base as a higher-half address
        mov     QWORD PTR [rip + boot_pml4], 0          # no identity map: low addresses fault
        mov     rax, cr3
        mov     cr3, rax                                # flush the TLB
        lea     rsp, [rip + boot_stack_top]
        xor     ebp, ebp
        mov     r12d, edi                               # multiboot magic (callee-saved)
        mov     r13d, esi                               # multiboot info, physical
        call    install_early_idt                       # faults from here on are reported (TrapEntry.S)

        lea     rdi, [rip + boot_heap_start]
        lea     rsi, [rip + boot_heap_end]
        lea     rdx, [rip + __modules_start]
        lea     rcx, [rip + __modules_end]
        call    cowbird_runtime_init

        mov     edi, r12d
        mov     rsi, r13
        call    kmain
9:      cli
        hlt
        jmp     9b

# Addresses the C# code needs (KernelStacks.cs, DirectMap.cs); plain SysV functions.
        .globl boot_stack_guard_address
boot_stack_guard_address:
        lea     rax, [rip + boot_stack_guard]
        ret

        .globl ist_stacks_address
ist_stacks_address:
        lea     rax, [rip + ist_stacks]
        ret

# ---------------------------------------------------------------- data
        .section .rodata
no_long_mode_message:
        .asciz "Cowbird: this CPU has no 64-bit long mode (QEMU: use -cpu max)\r\n"

        .balign 8
gdt:
        .quad 0                                         # null descriptor
        .quad 0x00AF9A000000FFFF                        # 0x08: kernel code, 64-bit (L=1)
        .quad 0x00CF92000000FFFF                        # 0x10: kernel data
gdt_end:

        .balign 8
gdt_pointer_physical:
        .short gdt_end - gdt - 1
        .long gdt - KERNEL_VIRTUAL_BASE
        .balign 8
gdt_pointer_virtual:
        .short gdt_end - gdt - 1
        .quad gdt

        .section .bss
        .balign 4096
boot_pml4:          .skip 4096
boot_pdpt_low:      .skip 4096
boot_pdpt_high:     .skip 4096
boot_pd_identity:   .skip 4096
boot_pd_kernel:     .skip 4096
boot_pt_kernel:     .skip 4096 * BOOT_SMALL_PAGE_TABLES
boot_pdpt_direct:   .skip 4096
boot_pd_direct:     .skip 4096 * BOOT_DIRECT_MAP_GIB

# Unmapped in the kernel window, so a boot-stack overflow faults instead of
# silently overwriting the page tables above.
boot_stack_guard:   .skip 4096
boot_stack_bottom:  .skip BOOT_STACK_SIZE
boot_stack_top:

# Interrupt stacks (TSS IST), each PAGE_SIZE guard + IST_STACK_SIZE stack;
# KernelStacks.cs unmaps the guard pages.
        .balign 4096
ist_stacks:         .skip IST_STACK_COUNT * (PAGE_SIZE + IST_STACK_SIZE)

# The runtime's first heap, handed to cowbird_runtime_init.
        .balign 4096
boot_heap_start:    .skip BOOT_HEAP_SIZE
boot_heap_end:

        .section .note.GNU-stack, "", @progbits
