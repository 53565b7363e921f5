"""Given and family names used by the synthetic registers, by nationality.

Common names typed up from public name-frequency lists of each country
(family names first); Vietnamese with their diacritics, Chinese as traditional characters
(their pinyin and Sino-Korean readings come from Unihan). Names only: no person is described.
"""

from __future__ import annotations

__all__ = ["FAMILY", "GIVEN", "MIDDLE", "SURNAME_FIRST"]

FAMILY: dict[str, list[str]] = {
    "VNM": ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi",
            "Đỗ", "Hồ", "Ngô", "Dương", "Lý", "Đinh", "Trương", "Lâm", "Mai"],
    "CHN": list("王李張劉陳楊黃趙吳周徐孫馬朱胡郭何高林羅鄭梁謝宋唐許韓馮鄧曹彭曾蕭田董潘"
                "袁蔡蔣余于杜葉程"),
    "THA": ["Suksawat", "Srisuk", "Wongsa", "Saelim", "Chaiyaphum", "Rattanakosin", "Boonmee",
            "Kaewmanee", "Thongdee", "Phromma", "Sombat", "Intharasuk", "Jaidee", "Somboon"],
    "PHL": ["Santos", "Reyes", "Cruz", "Bautista", "Ocampo", "Garcia", "Mendoza", "Torres",
            "Castillo", "Flores", "Villanueva", "Ramos", "Aquino", "Navarro", "Dela Cruz"],
    "UZB": ["Karimov", "Rakhimov", "Abdullaev", "Yusupov", "Tashkentov", "Nazarov", "Sultanov",
            "Ismoilov", "Ergashev", "Mirzaev", "Khodjaev", "Umarov", "Aliev", "Saidov"],
    "RUS": ["Ivanov", "Petrov", "Smirnov", "Kuznetsov", "Popov", "Sokolov", "Lebedev", "Kozlov",
            "Novikov", "Morozov", "Volkov", "Pavlov", "Semenov", "Orlov"],
    "NPL": ["Shrestha", "Thapa", "Gurung", "Tamang", "Magar", "Rai", "Limbu", "Sherpa",
            "Adhikari", "Bhattarai", "Karki", "Poudel", "Sharma", "Khadka"],
    "IDN": ["Santoso", "Wijaya", "Saputra", "Hidayat", "Susanto", "Nugroho", "Setiawan",
            "Kusuma", "Pratama", "Siregar", "Hasibuan", "Gunawan", "Wibowo", "Lestari"],
    "MNG": ["Batbold", "Ganbaatar", "Erdene", "Bat-Erdene", "Enkhbayar", "Tsogt", "Dorj",
            "Bold", "Sukhbaatar", "Altangerel", "Otgonbayar", "Purev", "Munkh", "Byambaa"],
    "KHM": ["Sok", "Chan", "Kim", "Heng", "Chea", "Keo", "Meas", "Sim", "Ly", "Pich", "Nhem",
            "Mao", "Prak", "Touch"],
}

GIVEN: dict[str, list[str]] = {
    "VNM": ["Hoa", "Lan", "Hương", "Mai", "Thảo", "Anh", "Trang", "Linh", "Hùng", "Dũng", "Nam",
            "Tuấn", "Long", "Hải", "Huy", "Sơn", "Phước", "Vy", "Hà", "Trung", "Phương", "Khoa",
            "Yến", "Bảo", "Nhung", "Hạnh", "Thủy", "Cường", "Thắng", "Tâm", "Loan", "Quân"],
    "CHN": list("偉芳娜秀英敏靜麗強磊軍洋勇艷傑娟濤明超霞平剛桂華建國紅玉文海燕曉東春梅志鵬飛雪峰"),
    "THA": ["Somchai", "Somsak", "Suriya", "Thanawat", "Kittisak", "Nattapong", "Prasert",
            "Siriporn", "Kanokwan", "Malee", "Wipawee", "Supaporn", "Anan", "Chaiwat", "Pranee"],
    "PHL": ["Maria", "Jose", "Juan", "Mark", "John Paul", "Maricel", "Rowena", "Jenny",
            "Michael", "Angelica", "Ramon", "Cristina", "Joy", "Rodel", "Marites"],
    "UZB": ["Shavkat", "Dilshod", "Bobur", "Jasur", "Akmal", "Sardor", "Gulnora", "Dilnoza",
            "Nodira", "Feruza", "Rustam", "Otabek", "Sherzod", "Malika", "Ulugbek"],
    "RUS": ["Aleksei", "Dmitrii", "Sergei", "Andrei", "Ivan", "Mikhail", "Elena", "Olga",
            "Tatiana", "Natalia", "Irina", "Svetlana", "Pavel", "Nikolai", "Anna"],
    "NPL": ["Ram", "Hari", "Krishna", "Bishnu", "Sita", "Gita", "Suman", "Binod", "Ramesh",
            "Sunita", "Anita", "Prakash", "Dipak", "Laxmi", "Bikash"],
    "IDN": ["Budi", "Agus", "Siti", "Dewi", "Ahmad", "Rizky", "Putri", "Eko", "Sri", "Adi",
            "Indah", "Fitri", "Hendra", "Wahyu", "Dian"],
    "MNG": ["Bat", "Erdene", "Gerel", "Tuya", "Saruul", "Nomin", "Anar", "Temuulen", "Khulan",
            "Oyun", "Ganzorig", "Naran", "Tsetseg", "Bayar", "Zaya"],
    "KHM": ["Dara", "Sophal", "Vannak", "Pisey", "Rithy", "Chanthy", "Srey Mom", "Sokha",
            "Bopha", "Vuthy", "Sopheap", "Kosal", "Chenda", "Ratha", "Sreyneang"],
}

#: Middle names: Vietnamese middle names, Filipino middle names (the mother's family name),
#: Nepali middle names; drawn with the probability given.
MIDDLE: dict[str, tuple[float, list[str]]] = {
    "VNM": (0.9, ["Thị", "Văn", "Ngọc", "Minh", "Đức", "Hữu", "Thanh", "Quang", "Thu", "Quốc",
                  "Kim", "Xuân"]),
    "PHL": (0.7, ["Santos", "Reyes", "Cruz", "Garcia", "Lopez", "Gonzales", "Ramos", "Perez"]),
    "NPL": (0.6, ["Bahadur", "Kumar", "Prasad", "Kumari", "Raj", "Devi"]),
    "IDN": (0.4, ["Putra", "Sari", "Dwi", "Tri", "Nur", "Indra"]),
}

#: Nationalities whose passports put the family name first (the rest: given name first).
SURNAME_FIRST = {"VNM", "CHN", "KHM"}
