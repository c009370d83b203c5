// "Tell me when there are new photos of me": the address field follows the chosen medium
// (an e-mail keyboard or a phone keypad). Without script the form still works.
const form = document.getElementById("notify-form");
if (form) {
  const input = document.getElementById("notify-address");
  const label = document.getElementById("notify-address-label");
  const follow = () => {
    const phone = form.querySelector('input[name="medium"][value="phone"]:checked') !== null;
    input.type = phone ? "tel" : "email";
    input.autocomplete = phone ? "tel" : "email";
    label.textContent = phone ? label.dataset.phone : label.dataset.email;
  };
  form.querySelectorAll('input[name="medium"]').forEach((radio) => radio.addEventListener("change", follow));
  follow();
}
