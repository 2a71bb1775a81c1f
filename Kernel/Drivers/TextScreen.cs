namespace Cowbird.Kernel.Drivers
{
    // A screen of Columns x Rows character cells with a cursor, the way a terminal shows
    // text: what both the VGA text mode and the framebuffer console are. This class owns
    // the text and the cursor (where the next character goes, line wrap, scrolling, the
    // control characters); a subclass only draws: a cell, the scroll, the cursor.
    public abstract class TextScreen
    {
        public readonly int Columns;
        public readonly int Rows;

        private readonly char[] _text;   // what each cell shows, row by row
        private int _row;
        private int _column;             // == Columns after the last cell of a line is written
        private EscapeState _escape;
        private int _parameter;          // the CSI sequence's first number, as far as it is read

        // Where Write is in an escape sequence (ESC, or ESC [ parameters final byte).
        private enum EscapeState { None, Escape, Csi }

        protected TextScreen(int columns, int rows)
        {
            Columns = columns;
            Rows = rows;
            _text = new char[columns * rows];
        }

        // Draws character `c` in a cell.
        protected abstract void DrawCell(int row, int column, char c);

        // Moves the picture of rows 1..Rows-1 up to rows 0..Rows-2 (the last row is redrawn after).
        protected abstract void ScrollPicture();

        // Shows the cursor at a cell; HideCursor undoes it before the cursor moves.
        protected abstract void ShowCursor(int row, int column);

        // By default hiding the cursor redraws the cell it was drawn over.
        protected virtual void HideCursor(int row, int column) => DrawCell(row, column, CharAt(row, column));

        protected char CharAt(int row, int column) => _text[row * Columns + column];

        // Blanks every cell and puts the cursor top left.
        public void Clear()
        {
            for (int row = 0; row < Rows; row++)
                for (int column = 0; column < Columns; column++)
                    Set(row, column, ' ');
            _row = 0;
            _column = 0;
            ShowCursor(0, 0);
        }

        // Writes one character at the cursor: '\n' starts a new line, '\r' returns to column 0,
        // '\b' moves one cell left (the shell erases with "\b \b"), '\t' goes to the next
        // multiple of 8; an escape sequence is read whole (Escape); other control characters
        // are not shown.
        public void Write(char c)
        {
            HideCursor(_row, CursorColumn);
            if (_escape != EscapeState.None || c == '\x1b')
                Escape(c);
            else if (c == '\n')
                NewLine();
            else if (c == '\r')
                _column = 0;
            else if (c == '\b')
            {
                if (_column > 0)
                    _column--;
            }
            else if (c == '\t')
            {
                do
                    Put(' ');
                while (_column % 8 != 0 && _column < Columns);
            }
            else if (c >= ' ')
                Put(c);
            ShowCursor(_row, CursorColumn);
        }

        // One character of an escape sequence. The line editors' CSI sequences act (busybox's
        // `ESC [ J` and `ESC [ K` erase after the cursor, `ESC [ N C` and `ESC [ N D` move it
        // right and left); every other sequence, such as the `ESC [ 6 n` question for the
        // cursor's position, which only a terminal on the serial line can answer, is dropped.
        private void Escape(char c)
        {
            if (_escape == EscapeState.None)
            {
                _escape = EscapeState.Escape;
                return;
            }
            if (_escape == EscapeState.Escape)
            {
                _escape = c == '[' ? EscapeState.Csi : EscapeState.None;
                _parameter = 0;
                return;
            }
            if (c >= '0' && c <= '9')
            {
                if (_parameter < 1000)
                    _parameter = _parameter * 10 + (c - '0');
                return;
            }
            if (c < '@' || c > '~')
                return;                   // other parameter or intermediate bytes
            _escape = EscapeState.None;
            int count = _parameter > 0 ? _parameter : 1;
            if (c == 'C')
                _column = _column + count < Columns ? _column + count : Columns - 1;
            else if (c == 'D')
                _column = CursorColumn - count > 0 ? CursorColumn - count : 0;
            else if (c == 'K' && _parameter == 0)
                EraseRow(_row, CursorColumn);
            else if (c == 'J' && _parameter == 0)
            {
                EraseRow(_row, CursorColumn);
                for (int row = _row + 1; row < Rows; row++)
                    EraseRow(row, 0);
            }
        }

        // Blanks row `row` from column `from` to its end.
        private void EraseRow(int row, int from)
        {
            for (int column = from; column < Columns; column++)
                Set(row, column, ' ');
        }

        // Past the end of a full line the cursor stays on its last cell until the next character wraps.
        private int CursorColumn => _column < Columns ? _column : Columns - 1;

        private void Put(char c)
        {
            if (_column == Columns)
                NewLine();
            Set(_row, _column, c);
            _column++;
        }

        private void Set(int row, int column, char c)
        {
            _text[row * Columns + column] = c;
            DrawCell(row, column, c);
        }

        private void NewLine()
        {
            _column = 0;
            if (_row < Rows - 1)
            {
                _row++;
                return;
            }
            ScrollPicture();
            for (int i = 0; i < (Rows - 1) * Columns; i++)
                _text[i] = _text[i + Columns];
            for (int column = 0; column < Columns; column++)
                Set(Rows - 1, column, ' ');
        }
    }
}
