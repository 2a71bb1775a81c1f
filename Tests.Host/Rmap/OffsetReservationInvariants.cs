using System.Collections.Generic;
using Cowbird.Mm;
using Cowbird.Mm.Vm;

namespace Cowbird.Tests.Host
{
    // Invariant 16 of Invariants.Check, under AnonOffsets.Reserve (the contract at the top of
    // Kernel.Mm/Vm/AddressSpace.Offsets.cs): every private VMA owns reserved offsets that
    // contain its own and were handed out by the space's counter; no two private VMAs of
    // one space own the same offset, so an offset names at most one place in the space.
    public static class OffsetReservationInvariants
    {
        public static void Check(AddressSpace space, List<string> errors)
        {
            var reservations = new List<(ulong Start, ulong End, Vma Vma)>();
            for (Vma vma = space.Vmas.First; vma != null; vma = vma.Next)
            {
                if (!vma.IsPrivate)
                    continue;
                string where = $"VMA [0x{vma.Start:x}, 0x{vma.End:x}) offsets [{vma.PgOff}, +{vma.Length >> Page.Shift})";
                if (vma.ReservedStart > vma.PgOff || vma.ReservedEnd - vma.PgOff < vma.Length >> Page.Shift)
                    errors.Add($"{where}: reservation [{vma.ReservedStart}, {vma.ReservedEnd}) does not contain them");
                if (!space.OffsetsWrapped && vma.ReservedEnd > space.NextOffset)
                    errors.Add($"{where}: reservation ends at {vma.ReservedEnd}, above the counter {space.NextOffset}");
                reservations.Add((vma.ReservedStart, vma.ReservedEnd, vma));
            }
            if (space.OffsetsWrapped)
                return;
            reservations.Sort((a, b) => a.Start.CompareTo(b.Start));
            for (int i = 1; i < reservations.Count; i++)
                if (reservations[i - 1].End > reservations[i].Start)
                    errors.Add($"reservations [{reservations[i - 1].Start}, {reservations[i - 1].End}) of 0x{reservations[i - 1].Vma.Start:x} "
                               + $"and [{reservations[i].Start}, {reservations[i].End}) of 0x{reservations[i].Vma.Start:x} overlap");
        }
    }
}
