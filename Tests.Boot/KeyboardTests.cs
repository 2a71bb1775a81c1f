using Xunit;

namespace Cowbird.Tests.Boot
{
    // The PS/2 keyboard is a console input like COM1: keys pressed through QMP (as on the
    // screen of a QEMU window or a VMware VM) reach the shell, whose echo and output come back
    // on the serial line. The shell echoes every byte it reads unchanged, so the serial log
    // shows exactly the bytes the keyboard produced.
    public sealed class KeyboardTests
    {
        [Theory]
        [InlineData(false)]
        [InlineData(true)]
        public void TypedCommandRunsAndKeysGiveTerminalBytes(bool uefi)
        {
            using var machine = new InteractiveQemu(uefi ? "keyboard-uefi" : "keyboard-bios", uefi ? Qemu.UefiFirmware : null);
            int at = machine.WaitForSerial(ShellText.Greeting);
            at = machine.WaitForSerial("$ ", at);               // from here on, what is typed is echoed

            // A command typed with a mistake erased by Backspace (DEL, which the shell erases with "\b \b").
            Type(machine.Qmp, "helx");
            machine.Qmp.SendKey("backspace");
            Type(machine.Qmp, "p");
            machine.Qmp.SendKey("ret");
            at = machine.WaitForSerial("helx\b \bp\nCowbird sh. Builtins: help", at);
            at = machine.WaitForSerial("\n$ ", at);

            // Shift, Caps Lock (letters only, toggled twice), Ctrl-C and two arrows, then Enter.
            machine.Qmp.SendKey("shift", "a");                 // A
            machine.Qmp.SendKey("caps_lock");
            Type(machine.Qmp, "b");                            // B
            machine.Qmp.SendKey("shift", "c");                 // c: Shift undoes Caps Lock
            machine.Qmp.SendKey("caps_lock");
            Type(machine.Qmp, "1");                            // 1: Shift was released
            machine.Qmp.SendKey("shift", "1");                 // !
            machine.Qmp.SendKey("ctrl", "c");                  // 0x03, as a serial terminal sends it
            machine.Qmp.SendKey("up");                         // ESC [ A
            machine.Qmp.SendKey("left");                       // ESC [ D
            machine.Qmp.SendKey("ret");
            at = machine.WaitForSerial("ABc1!\u0003\u001b[A\u001b[D\n", at);
            at = machine.WaitForSerial("\n$ ", at);

            // A held key repeats as the keyboard sends its make code again: three makes, one break.
            // (Sent once the keys before are echoed: input-send-event does not queue behind send-key.)
            for (int i = 0; i < 3; i++)
                machine.Qmp.KeyEvent("z", down: true);
            machine.Qmp.KeyEvent("z", down: false);
            machine.Qmp.SendKey("ret");
            machine.WaitForSerial("zzz\n", at);
        }

        // Presses the keys of lower-case letters, digits and spaces one after the other.
        private static void Type(QmpClient qmp, string text)
        {
            foreach (char c in text)
                qmp.SendKey(c == ' ' ? "spc" : c.ToString());
        }
    }
}
