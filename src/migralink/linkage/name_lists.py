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
            "Kaewmanee", "Thongdee", "Phromma", "Sombat", "Intharasuk", "Jaidee", "Somboon",
            "Srisawat", "Chanthara", "Khamsuk", "Pongsiri", "Ruangsri", "Sangthong", "Thammasat",
            "Wattana", "Yodsuwan", "Kongkaew", "Phetchara", "Sirichai", "Buakhao", "Chaimongkol",
            "Kittikun", "Nakprasert", "Pimpa", "Rungroj", "Saengchan", "Thepsuwan", "Uthaisri",
            "Wongsuwan", "Yimsai", "Jantarasri", "Meesuk", "Panyasiri"],
    "PHL": ["Santos", "Reyes", "Cruz", "Bautista", "Ocampo", "Garcia", "Mendoza", "Torres",
            "Castillo", "Flores", "Villanueva", "Ramos", "Aquino", "Navarro", "Dela Cruz",
            "Gonzales", "Lopez", "Perez", "Dizon", "Santiago", "Fernandez", "Rivera", "Gomez",
            "Pascual", "Salazar", "Manalo", "Tolentino", "Domingo", "Soriano", "Mercado",
            "Castro", "Aguilar", "Valdez", "Ramirez", "Lim"],
    "UZB": ["Karimov", "Rakhimov", "Abdullaev", "Yusupov", "Tashkentov", "Nazarov", "Sultanov",
            "Ismoilov", "Ergashev", "Mirzaev", "Khodjaev", "Umarov", "Aliev", "Saidov",
            "Rashidov", "Tursunov", "Kholmatov", "Normatov", "Qodirov", "Juraev", "Azimov",
            "Hasanov", "Sharipov", "Boboev", "Toshmatov", "Ibragimov", "Karimova", "Rakhimova",
            "Yuldashev", "Sobirov", "Bakirov", "Usmonov"],
    "RUS": ["Ivanov", "Petrov", "Smirnov", "Kuznetsov", "Popov", "Sokolov", "Lebedev", "Kozlov",
            "Novikov", "Morozov", "Volkov", "Pavlov", "Semenov", "Orlov",
            "Vasiliev", "Fedorov", "Mikhailov", "Egorov", "Nikolaev", "Zakharov", "Zaitsev",
            "Stepanov", "Yakovlev", "Grigoriev", "Romanov", "Vorobiev", "Sergeev", "Frolov",
            "Alexandrov", "Makarov", "Andreev", "Kovalev", "Ilyin", "Belov"],
    "NPL": ["Shrestha", "Thapa", "Gurung", "Tamang", "Magar", "Rai", "Limbu", "Sherpa",
            "Adhikari", "Bhattarai", "Karki", "Poudel", "Sharma", "Khadka",
            "Basnet", "Bhandari", "Chaudhary", "Dahal", "Ghimire", "Gautam", "Joshi", "Khatri",
            "Koirala", "Lama", "Maharjan", "Neupane", "Pandey", "Pokharel", "Regmi", "Shah",
            "Subedi", "Tiwari", "Yadav", "Acharya"],
    "IDN": ["Santoso", "Wijaya", "Saputra", "Hidayat", "Susanto", "Nugroho", "Setiawan",
            "Kusuma", "Pratama", "Siregar", "Hasibuan", "Gunawan", "Wibowo", "Lestari",
            "Halim", "Hartono", "Kurniawan", "Purnomo", "Rahman", "Sutanto", "Syahputra",
            "Tanjung", "Wahyudi", "Yulianto", "Harahap", "Nasution", "Simanjuntak", "Sitompul",
            "Permana", "Firmansyah", "Ramadhan", "Hakim", "Irawan", "Prasetyo"],
    "MNG": ["Batbold", "Ganbaatar", "Erdene", "Bat-Erdene", "Enkhbayar", "Tsogt", "Dorj",
            "Bold", "Sukhbaatar", "Altangerel", "Otgonbayar", "Purev", "Munkh", "Byambaa",
            "Baatar", "Batsaikhan", "Chuluun", "Davaa", "Enkhtuya", "Gantulga", "Jargal",
            "Lkhagva", "Narantsetseg", "Ochir", "Sodnom", "Tumur", "Unurbayar", "Zorig",
            "Amarsaikhan", "Bayarmaa", "Dashdorj", "Erdenebat", "Gombo", "Nyamdorj"],
    "KHM": ["Sok", "Chan", "Kim", "Heng", "Chea", "Keo", "Meas", "Sim", "Ly", "Pich", "Nhem",
            "Mao", "Prak", "Touch",
            "Chhim", "Hem", "Khun", "Lim", "Ouk", "Pen", "Phan", "Sam", "Seng", "Sor", "Tep",
            "Ung", "Yim", "Chhay", "Hun", "Long", "Nuon", "Roeun", "Sath", "Vong"],
}

GIVEN: dict[str, list[str]] = {
    "VNM": ["Hoa", "Lan", "Hương", "Mai", "Thảo", "Anh", "Trang", "Linh", "Hùng", "Dũng", "Nam",
            "Tuấn", "Long", "Hải", "Huy", "Sơn", "Phước", "Vy", "Hà", "Trung", "Phương", "Khoa",
            "Yến", "Bảo", "Nhung", "Hạnh", "Thủy", "Cường", "Thắng", "Tâm", "Loan", "Quân"],
    "CHN": list("偉芳娜秀英敏靜麗強磊軍洋勇艷傑娟濤明超霞平剛桂華建國紅玉文海燕曉東春梅志鵬飛雪峰"),
    "THA": ["Somchai", "Somsak", "Suriya", "Thanawat", "Kittisak", "Nattapong", "Prasert",
            "Siriporn", "Kanokwan", "Malee", "Wipawee", "Supaporn", "Anan", "Chaiwat", "Pranee",
            "Apichart", "Boonsong", "Chatchai", "Kamol", "Narong", "Pichit", "Sakchai",
            "Thongchai", "Wichai", "Arunee", "Buppha", "Duangjai", "Kannika", "Nittaya",
            "Pornthip", "Ratana", "Sunisa", "Wanida", "Yupin", "Sompong"],
    "PHL": ["Maria", "Jose", "Juan", "Mark", "John Paul", "Maricel", "Rowena", "Jenny",
            "Michael", "Angelica", "Ramon", "Cristina", "Joy", "Rodel", "Marites",
            "Antonio", "Carlo", "Danilo", "Eduardo", "Francis", "Gilbert", "Jerome", "Manuel",
            "Noel", "Roberto", "Analyn", "Carmela", "Divina", "Evelyn", "Gloria", "Josephine",
            "Liza", "Lourdes", "Rosalie", "Teresita"],
    "UZB": ["Shavkat", "Dilshod", "Bobur", "Jasur", "Akmal", "Sardor", "Gulnora", "Dilnoza",
            "Nodira", "Feruza", "Rustam", "Otabek", "Sherzod", "Malika", "Ulugbek",
            "Aziz", "Bekzod", "Davron", "Farrukh", "Ilhom", "Jamshid", "Kamol", "Nodir", "Sanjar",
            "Timur", "Aziza", "Barno", "Dildora", "Kamola", "Lola", "Madina", "Nigora", "Shahlo",
            "Zarina", "Umida"],
    "RUS": ["Aleksei", "Dmitrii", "Sergei", "Andrei", "Ivan", "Mikhail", "Elena", "Olga",
            "Tatiana", "Natalia", "Irina", "Svetlana", "Pavel", "Nikolai", "Anna",
            "Alexander", "Artem", "Boris", "Denis", "Evgenii", "Igor", "Kirill", "Maksim", "Oleg",
            "Roman", "Viktor", "Vladimir", "Yurii", "Anastasia", "Daria", "Ekaterina", "Galina",
            "Ksenia", "Liudmila", "Marina"],
    "NPL": ["Ram", "Hari", "Krishna", "Bishnu", "Sita", "Gita", "Suman", "Binod", "Ramesh",
            "Sunita", "Anita", "Prakash", "Dipak", "Laxmi", "Bikash",
            "Arjun", "Deepak", "Ganesh", "Kiran", "Mahesh", "Nabin", "Rajesh", "Sanjay",
            "Santosh", "Umesh", "Bimala", "Kamala", "Manisha", "Nirmala", "Pooja", "Radha",
            "Sabina", "Sarita", "Shanti", "Usha"],
    "IDN": ["Budi", "Agus", "Siti", "Dewi", "Ahmad", "Rizky", "Putri", "Eko", "Sri", "Adi",
            "Indah", "Fitri", "Hendra", "Wahyu", "Dian",
            "Andi", "Bambang", "Dedi", "Fajar", "Hadi", "Imam", "Joko", "Rudi", "Slamet", "Yusuf",
            "Ani", "Endang", "Lina", "Nur", "Ratna", "Rina", "Sari", "Wati", "Yanti", "Yuni"],
    "MNG": ["Bat", "Erdene", "Gerel", "Tuya", "Saruul", "Nomin", "Anar", "Temuulen", "Khulan",
            "Oyun", "Ganzorig", "Naran", "Tsetseg", "Bayar", "Zaya",
            "Altan", "Bold", "Chinbat", "Dorj", "Gansukh", "Khuyag", "Munkh", "Ochir", "Sukh",
            "Tomor", "Altantsetseg", "Bolormaa", "Enkhjargal", "Gerelmaa", "Munkhtuya", "Oyunaa",
            "Sarnai", "Tsolmon", "Uranchimeg", "Solongo"],
    "KHM": ["Dara", "Sophal", "Vannak", "Pisey", "Rithy", "Chanthy", "Srey Mom", "Sokha",
            "Bopha", "Vuthy", "Sopheap", "Kosal", "Chenda", "Ratha", "Sreyneang",
            "Bunthoeun", "Chantha", "Dina", "Heng", "Kimsan", "Makara", "Pheakdey", "Rith",
            "Samnang", "Visal", "Channary", "Kanha", "Leakhena", "Mealea", "Phalla", "Raksmey",
            "Sokunthea", "Theary", "Vanna"],
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
