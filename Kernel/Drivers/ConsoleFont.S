# The console font's glyphs (console-font.bin: 128 ASCII glyphs, 8x16, 16 bytes each),
# converted at build time from a Debian console font by Kernel/Build/console-font.sh,
# and a function that gives C# their address (see ConsoleFont.cs).
        .intel_syntax noprefix
        .section .rodata
        .balign 16
console_font_glyphs:
        .incbin "console-font.bin"
console_font_glyphs_end:

        .text
        .globl console_font_address
console_font_address:
        lea     rax, [rip + console_font_glyphs]
        ret

        .section .note.GNU-stack, "", @progbits
