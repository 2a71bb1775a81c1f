using Xunit;

namespace Cowbird.Tests.Boot
{
    // The PS/2 keyboard is a console input like COM1: keys pressed through QMP (as on the
    // screen of a QEMU window or a VMware VM) reach the terminal, whose echo and the shell's
    // output come back on the serial line. The terminal echoes printable bytes as they are and
    // control bytes as ^X (ECHOCTL), so the serial log shows which bytes the keyboard produced.
    public sealed class KeyboardTests
    {
        [Theory]
        [InlineData(false)]
        [InlineData(true)]
        public void TypedCommandRunsAndKeysGiveTerminalBytes(bool uefi)
        {
            using var machine = new InteractiveQemu(uefi ? "keyboard-uefi" : "keyboard-bios", uefi ? Qemu.UefiFirmware : null);
            int at = machine.WaitForShell();                  // from here on, what is typed is echoed

            // A command typed with a mistake erased by Backspace (DEL, which the terminal erases with "\b \b").
            machine.Type("helx");
            machine.Qmp.SendKey("backspace");
            machine.Type("p\n");
            at = machine.WaitForSerial("helx\b \bp\nCowbird sh. Builtins: help", at);
            at = machine.WaitForSerial("\n$ ", at);

            // Shift, Caps Lock (letters only, toggled twice), then Ctrl-C: the terminal echoes ^C
            // and drops the line, the shell prompts again.
            machine.Qmp.SendKey("shift", "a");                 // A
            machine.Qmp.SendKey("caps_lock");
            machine.Type("b");                                 // B
            machine.Qmp.SendKey("shift", "c");                 // c: Shift undoes Caps Lock
            machine.Qmp.SendKey("caps_lock");
            machine.Type("1");                                 // 1: Shift was released
            machine.Qmp.SendKey("shift", "1");                 // !
            machine.Qmp.SendKey("ctrl", "c");                  // 0x03, as a serial terminal sends it
            at = machine.WaitForSerial("ABc1!^C\n$ ", at);

            // Two arrows (ESC [ A, ESC [ D, echoed as ^[[A^[[D), then Enter: the shell gets them.
            machine.Qmp.SendKey("up");
            machine.Qmp.SendKey("left");
            machine.Qmp.SendKey("ret");
            at = machine.WaitForSerial("^[[A^[[D\nsh: \u001b[A\u001b[D: not found", at);
            at = machine.WaitForSerial("\n$ ", at);

            // A held key repeats as the keyboard sends its make code again: three makes, one break.
            // (Sent once the keys before are echoed: input-send-event does not queue behind send-key.)
            for (int i = 0; i < 3; i++)
                machine.Qmp.KeyEvent("z", down: true);
            machine.Qmp.KeyEvent("z", down: false);
            machine.Qmp.SendKey("ret");
            machine.WaitForSerial("zzz\n", at);
        }
    }
}
