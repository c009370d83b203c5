// Saving photos the phone way: the Web Share API with files opens the share sheet, where iOS offers
// "Save Image(s)" into Photos and Android its gallery apps. Where a browser cannot share files the
// pages keep their plain download links (and the zip).

export function canShareFiles() {
  if (!navigator.canShare || !window.File) return false;
  try {
    return navigator.canShare({ files: [new File([''], 'photo.jpg', { type: 'image/jpeg' })] });
  } catch {
    return false;
  }
}

// A photo as a File for navigator.share; the type from the response so PNG originals stay PNG.
export async function photoFile(url, name) {
  const response = await fetch(url, { credentials: 'same-origin' });
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  const blob = await response.blob();
  return new File([blob], name, { type: blob.type || 'image/jpeg' });
}

// Shares the files; true when shared, false when the guest closed the sheet.
export async function shareFiles(files) {
  try {
    await navigator.share({ files });
    return true;
  } catch (error) {
    if (error.name === 'AbortError') return false;
    throw error;
  }
}
