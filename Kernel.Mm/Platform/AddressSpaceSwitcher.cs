namespace Cowbird.Mm.Platform
{
    // Seam: make an address space the one the CPU translates through (load CR3 in the
    // kernel; set the SoftMmu's current root on the host).
    public abstract class AddressSpaceSwitcher
    {
        public abstract void SwitchTo(ulong pml4);
    }
}
